//! Stored tokens for stored-token authentication.

use super::*;

/// A stored token and the plugins it may attach to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    /// The token.
    pub token: String,
    /// The plugins it may attach to.
    #[serde(default)]
    pub allowed_plugins: Vec<String>,
}

/// The `data` of the token requests.
#[derive(Deserialize)]
struct TokenData<T> {
    #[serde(alias = "tokens")]
    plugins: T,
}

/// Declares a token request that answers with `data.plugins` (or `data.tokens`).
macro_rules! token_call {
    ($ty:ty => $reply:ty, |$s:ident| $request:expr) => {
        impl AdminCall for $ty {
            type Reply = $reply;
            fn to_request(&self) -> AdminRequest {
                let $s = self;
                $request
            }
            fn parse_reply(fields: Map<String, Value>) -> Result<$reply, serde_json::Error> {
                field::<TokenData<$reply>>(fields, "data").map(|d| d.plugins)
            }
        }
    };
}

/// `add_token`: stores a token for stored-token authentication; it may
/// attach to the plugins given, or to every plugin when none are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AddToken {
    token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    plugins: Option<Vec<String>>,
}

impl AddToken {
    /// Stores `token`, allowed every plugin.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            plugins: None,
        }
    }

    /// Allows only `plugins` (package names).
    pub fn plugins<S: Into<String>>(mut self, plugins: impl IntoIterator<Item = S>) -> Self {
        self.plugins = Some(plugins.into_iter().map(Into::into).collect());
        self
    }
}

token_call!(AddToken => Vec<String>, |s| request("add_token", s));

/// `list_tokens`: every stored token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListTokens;

token_call!(ListTokens => Vec<StoredToken>, |_s| AdminRequest::new("list_tokens"));

/// `allow_token` (or `disallow_token`): gives a stored token access to
/// more plugins (or takes it away); answers with its plugins now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AllowToken {
    #[serde(skip)]
    allow: bool,
    token: String,
    plugins: Vec<String>,
}

impl AllowToken {
    /// Allows `token` the `plugins`.
    pub fn allow<S: Into<String>>(
        token: impl Into<String>,
        plugins: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            allow: true,
            token: token.into(),
            plugins: plugins.into_iter().map(Into::into).collect(),
        }
    }

    /// Takes the `plugins` away from `token`.
    pub fn disallow<S: Into<String>>(
        token: impl Into<String>,
        plugins: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            allow: false,
            ..Self::allow(token, plugins)
        }
    }
}

token_call!(AllowToken => Vec<String>, |s| request(
    if s.allow { "allow_token" } else { "disallow_token" },
    s
));

/// `remove_token`: forgets a stored token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemoveToken {
    token: String,
}

impl RemoveToken {
    /// Forgets `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
        }
    }
}

admin_call!(RemoveToken => Done, |s| request("remove_token", s));
