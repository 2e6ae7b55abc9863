//! Per-cloud endpoints and token audiences, embedded (no metadata fetch): MSTICPy's
//! `cloud_mappings_offline.py` table and its Defender mappings.

use crate::error::{Error, Result};

/// An Azure cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    /// Azure (`AzureCloud`), MSTICPy's `global`.
    Global,
    /// Azure US Government, MSTICPy's `usgov`.
    UsGov,
    /// Azure operated by 21Vianet (China), MSTICPy's `cn`.
    China,
    /// Azure Germany: closed on 2021-10-29. Usable only with every endpoint given.
    Germany,
}

impl Cloud {
    /// A cloud by MSTICPy's name or alias (`global`/`public`, `usgov`/`gov`, `cn`/`china`,
    /// and the ARM metadata names such as `AzureUSGovernment`), ignoring case.
    pub fn parse(name: &str) -> Result<Cloud> {
        let n = name.trim().to_ascii_lowercase();
        Ok(match n.as_str() {
            "global" | "public" | "azurecloud" | "azurepubliccloud" => Cloud::Global,
            "usgov" | "gov" | "azureusgovernment" | "azureusgovernmentcloud" => Cloud::UsGov,
            "cn" | "china" | "azurechinacloud" => Cloud::China,
            "de" | "germany" | "azuregermancloud" | "azuregermany" => Cloud::Germany,
            _ => {
                let known = ["global", "usgov", "cn"];
                let hint = crate::did_you_mean(&n, known, String::new);
                return Err(Error::config(format!(
                    "unknown cloud {name:?}: use `global` (alias `public`), `usgov` (`gov`) or \
                     `cn` (`china`){hint}"
                )));
            }
        })
    }

    /// The Entra ID sign-in host of the cloud named `name` (MSTICPy's names and aliases), as
    /// the browser's MSAL wants it: `https://login.microsoftonline.us` for `usgov`.
    pub fn authority_of(name: &str) -> Result<String> {
        Endpoints::for_cloud(Cloud::parse(name)?, None)?
            .authority()
            .map(str::to_owned)
    }

    /// MSTICPy's name.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGov => "usgov",
            Cloud::China => "cn",
            Cloud::Germany => "de",
        }
    }
}

/// The APIs huntkit calls, each with its own token audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// Azure Resource Manager: Resource Graph and Microsoft Sentinel.
    ResourceManager,
    /// The Log Analytics query API.
    LogAnalytics,
    /// Microsoft Graph (`security/runHuntingQuery`).
    MicrosoftGraph,
    /// The Defender for Endpoint API (`api/advancedqueries/run`).
    Defender,
    /// Key Vault's data plane.
    KeyVault,
}

impl Api {
    /// The API's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Api::ResourceManager => "Azure Resource Manager",
            Api::LogAnalytics => "Log Analytics",
            Api::MicrosoftGraph => "Microsoft Graph",
            Api::Defender => "Defender for Endpoint",
            Api::KeyVault => "Key Vault",
        }
    }

    /// The option name of its endpoint in [`Endpoints::set`].
    pub fn option(self) -> &'static str {
        match self {
            Api::ResourceManager => "resourceManager",
            Api::LogAnalytics => "logAnalytics",
            Api::MicrosoftGraph => "microsoftGraph",
            Api::Defender => "defender",
            Api::KeyVault => "keyVault",
        }
    }

    /// The API named as in [`Endpoints::set`] (`resourceManager`, `logAnalytics`,
    /// `microsoftGraph`, `defender`, `keyVault`).
    pub fn parse(name: &str) -> Result<Api> {
        Api::ALL
            .into_iter()
            .find(|a| a.option() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Api::ALL.iter().map(|a| a.option()).collect();
                Error::invalid_option(
                    "api",
                    format!("unknown API {name:?}; known: {}", known.join(", ")),
                )
            })
    }

    const ALL: [Api; 5] = [
        Api::ResourceManager,
        Api::LogAnalytics,
        Api::MicrosoftGraph,
        Api::Defender,
        Api::KeyVault,
    ];
}

/// Where one API lives and which audience its tokens are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Base URL, ending in `/`.
    pub url: String,
    /// Token audience (resource URI, no trailing `/`): the scope asked for is
    /// `{audience}/.default`.
    pub audience: String,
}

/// Every endpoint of one cloud, with overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The cloud.
    pub cloud: Cloud,
    /// Entra ID sign-in host (`https://login.microsoftonline.com`).
    pub authority: Option<String>,
    /// Key Vault DNS suffix (`vault.azure.net`).
    pub key_vault_suffix: Option<String>,
    /// Whether Microsoft Graph offers `runHuntingQuery` in this cloud.
    pub graph_hunting: bool,
    apis: Vec<(Api, Option<Endpoint>)>,
}

/// The Defender for Endpoint environments (MSTICPy's `_DEFENDER_MAPPINGS`), with the sign-in
/// host each uses.
pub const DEFENDER_ENVIRONMENTS: [(&str, &str, &str); 7] = [
    (
        "global",
        "https://api.securitycenter.microsoft.com/",
        "https://login.microsoftonline.com",
    ),
    (
        "us",
        "https://api-us.securitycenter.microsoft.com/",
        "https://login.microsoftonline.com",
    ),
    (
        "eu",
        "https://api-eu.securitycenter.microsoft.com/",
        "https://login.microsoftonline.com",
    ),
    (
        "uk",
        "https://api-uk.securitycenter.microsoft.com/",
        "https://login.microsoftonline.com",
    ),
    (
        "gcc",
        "https://api-gcc.securitycenter.microsoft.us/",
        "https://login.microsoftonline.com",
    ),
    (
        "gcc-high",
        "https://api-gov.securitycenter.microsoft.us/",
        "https://login.microsoftonline.us",
    ),
    (
        "dod",
        "https://api-gov.securitycenter.microsoft.us/",
        "https://login.microsoftonline.us",
    ),
];

fn endpoint(url: &str) -> Option<Endpoint> {
    Some(Endpoint {
        url: with_slash(url),
        audience: url.trim_end_matches('/').to_owned(),
    })
}

fn with_slash(url: &str) -> String {
    format!("{}/", url.trim_end_matches('/'))
}

impl Endpoints {
    /// The cloud's endpoints; `defender` picks the Defender environment (`global`, `us`, `eu`,
    /// `uk`, `gcc`, `gcc-high`, `dod`; default `global`, or `gcc-high` in `usgov`). `dod` also
    /// selects the DoD Graph host. Azure Germany has none: every endpoint it needs must be set.
    pub fn for_cloud(cloud: Cloud, defender: Option<&str>) -> Result<Endpoints> {
        let (authority, arm, la, graph, kv, hunting) = match cloud {
            Cloud::Global => (
                "https://login.microsoftonline.com",
                "https://management.azure.com/",
                "https://api.loganalytics.io",
                "https://graph.microsoft.com/",
                "vault.azure.net",
                true,
            ),
            Cloud::UsGov => (
                "https://login.microsoftonline.us",
                "https://management.usgovcloudapi.net/",
                "https://api.loganalytics.us",
                "https://graph.microsoft.us/",
                "vault.usgovcloudapi.net",
                true,
            ),
            Cloud::China => (
                "https://login.chinacloudapi.cn",
                "https://management.chinacloudapi.cn/",
                "https://api.loganalytics.azure.cn",
                "https://microsoftgraph.chinacloudapi.cn/",
                "vault.azure.cn",
                false,
            ),
            Cloud::Germany => {
                return Ok(Endpoints {
                    cloud,
                    authority: None,
                    key_vault_suffix: None,
                    graph_hunting: false,
                    apis: Api::ALL.iter().map(|&a| (a, None)).collect(),
                });
            }
        };
        let env = defender.unwrap_or(if cloud == Cloud::UsGov {
            "gcc-high"
        } else {
            "global"
        });
        let Some(&(_, defender_url, _)) = DEFENDER_ENVIRONMENTS
            .iter()
            .find(|(name, _, _)| name.eq_ignore_ascii_case(env))
        else {
            let names: Vec<&str> = DEFENDER_ENVIRONMENTS.iter().map(|e| e.0).collect();
            return Err(Error::config(format!(
                "unknown Defender environment {env:?}; use one of {}",
                names.join(", ")
            )));
        };
        if cloud == Cloud::China && defender.is_some() {
            return Err(Error::config(
                "Defender for Endpoint has no China (cn) environment",
            ));
        }
        let graph = if env.eq_ignore_ascii_case("dod") {
            "https://dod-graph.microsoft.us/"
        } else {
            graph
        };
        Ok(Endpoints {
            cloud,
            authority: Some(authority.to_owned()),
            key_vault_suffix: Some(kv.to_owned()),
            graph_hunting: hunting,
            apis: vec![
                (Api::ResourceManager, endpoint(arm)),
                (Api::LogAnalytics, endpoint(la)),
                (Api::MicrosoftGraph, endpoint(graph)),
                (Api::Defender, endpoint(defender_url)),
                (Api::KeyVault, endpoint(&format!("https://{kv}"))),
            ],
        })
    }

    /// Overrides one endpoint by its option name: `authority`, `resourceManager`,
    /// `logAnalytics`, `microsoftGraph`, `defender`, `keyVaultSuffix`, or an audience as
    /// `<name>Audience` (by default an overridden URL keeps the cloud's audience, so a token is
    /// still asked for the real resource, e.g. when the URL is a proxy or a test server).
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        let value = value.trim();
        if name == "authority" {
            self.authority = Some(value.trim_end_matches('/').to_owned());
            return Ok(());
        }
        if name == "keyVaultSuffix" {
            let suffix = value.trim_matches('.').to_owned();
            let url = format!("https://{suffix}");
            self.set_api(Api::KeyVault, Some(&url), Some(&url))?;
            self.key_vault_suffix = Some(suffix);
            return Ok(());
        }
        let (api_name, audience) = match name.strip_suffix("Audience") {
            Some(api) => (api, true),
            None => (name, false),
        };
        let Some(&api) = Api::ALL.iter().find(|a| a.option() == api_name) else {
            let mut known = vec!["authority", "keyVaultSuffix"];
            known.extend(Api::ALL.iter().map(|a| a.option()));
            let hint = crate::did_you_mean(name, known.iter().copied(), String::new);
            return Err(Error::config(format!(
                "unknown endpoint {name:?}; known: {}{hint}",
                known.join(", ")
            )));
        };
        if audience {
            self.set_api(api, None, Some(value))
        } else {
            self.set_api(api, Some(value), None)
        }
    }

    fn set_api(&mut self, api: Api, url: Option<&str>, audience: Option<&str>) -> Result<()> {
        if let Some(url) = url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(Error::config(format!(
                "endpoint `{}` must be an http(s) URL, got {url:?}",
                api.option()
            )));
        }
        let slot = &mut self
            .apis
            .iter_mut()
            .find(|(a, _)| *a == api)
            .expect("every API has a slot")
            .1;
        let mut e = slot.clone().unwrap_or_else(|| Endpoint {
            url: String::new(),
            audience: String::new(),
        });
        if let Some(url) = url {
            e.url = with_slash(url);
            if e.audience.is_empty() {
                e.audience = url.trim_end_matches('/').to_owned();
            }
        }
        if let Some(aud) = audience {
            e.audience = aud
                .trim_end_matches('/')
                .trim_end_matches("/.default")
                .to_owned();
        }
        *slot = Some(e);
        Ok(())
    }

    /// The endpoint of `api`, or an error saying the cloud has none and how to give one.
    pub fn get(&self, api: Api) -> Result<&Endpoint> {
        self.apis
            .iter()
            .find(|(a, _)| *a == api)
            .and_then(|(_, e)| e.as_ref())
            .filter(|e| !e.url.is_empty())
            .ok_or_else(|| self.missing(api.option(), api.label()))
    }

    /// The sign-in host.
    pub fn authority(&self) -> Result<&str> {
        self.authority
            .as_deref()
            .ok_or_else(|| self.missing("authority", "Entra ID sign-in"))
    }

    fn missing(&self, option: &str, what: &str) -> Error {
        if self.cloud == Cloud::Germany {
            Error::config(format!(
                "Azure Germany (`de`) closed on 2021-10-29 and has no built-in endpoints: \
                 use `global`, or give every endpoint you call (here `endpoints.{option}` for \
                 {what})"
            ))
        } else {
            Error::config(format!(
                "cloud `{}` has no {what} endpoint; give one as `endpoints.{option}`",
                self.cloud.name()
            ))
        }
    }

    /// The token scope for `api`: `{audience}/.default`.
    pub fn scope(&self, api: Api) -> Result<String> {
        let e = self.get(api)?;
        if e.audience.is_empty() {
            return Err(self.missing(&format!("{}Audience", api.option()), api.label()));
        }
        Ok(format!("{}/.default", e.audience))
    }

    /// The API whose audience a scope (`…/.default` or `…/Permission`) names, if any.
    pub fn api_of_scope(&self, scope: &str) -> Option<Api> {
        Api::ALL.into_iter().find(|&a| {
            self.get(a).is_ok_and(|e| {
                scope
                    .strip_prefix(&e.audience)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cloud_has_its_endpoints_and_scopes() {
        let cases = [
            (
                "public",
                "https://login.microsoftonline.com",
                "https://management.azure.com/.default",
                "https://api.loganalytics.io/.default",
                "https://graph.microsoft.com/.default",
                "https://vault.azure.net/.default",
                "https://api.securitycenter.microsoft.com/.default",
            ),
            (
                "gov",
                "https://login.microsoftonline.us",
                "https://management.usgovcloudapi.net/.default",
                "https://api.loganalytics.us/.default",
                "https://graph.microsoft.us/.default",
                "https://vault.usgovcloudapi.net/.default",
                "https://api-gov.securitycenter.microsoft.us/.default",
            ),
            (
                "China",
                "https://login.chinacloudapi.cn",
                "https://management.chinacloudapi.cn/.default",
                "https://api.loganalytics.azure.cn/.default",
                "https://microsoftgraph.chinacloudapi.cn/.default",
                "https://vault.azure.cn/.default",
                "https://api.securitycenter.microsoft.com/.default",
            ),
        ];
        for (name, login, arm, la, graph, kv, mde) in cases {
            let e = Endpoints::for_cloud(Cloud::parse(name).unwrap(), None).unwrap();
            assert_eq!(e.authority().unwrap(), login);
            let scopes = [
                Api::ResourceManager,
                Api::LogAnalytics,
                Api::MicrosoftGraph,
                Api::KeyVault,
                Api::Defender,
            ]
            .map(|a| e.scope(a).unwrap());
            assert_eq!(scopes, [arm, la, graph, kv, mde], "{name}");
        }
        let cn = Endpoints::for_cloud(Cloud::China, None).unwrap();
        assert!(!cn.graph_hunting);
        assert_eq!(
            cn.get(Api::ResourceManager).unwrap().url,
            "https://management.chinacloudapi.cn/"
        );
    }

    #[test]
    fn defender_environments_and_dod_graph() {
        let gcc = Endpoints::for_cloud(Cloud::Global, Some("gcc")).unwrap();
        assert_eq!(
            gcc.get(Api::Defender).unwrap().url,
            "https://api-gcc.securitycenter.microsoft.us/"
        );
        let dod = Endpoints::for_cloud(Cloud::UsGov, Some("dod")).unwrap();
        assert_eq!(
            dod.scope(Api::MicrosoftGraph).unwrap(),
            "https://dod-graph.microsoft.us/.default"
        );
        let err = Endpoints::for_cloud(Cloud::Global, Some("mars")).unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown Defender environment \"mars\"")
        );
        assert!(Endpoints::for_cloud(Cloud::China, Some("eu")).is_err());
    }

    #[test]
    fn germany_is_retired_unless_endpoints_are_given() {
        let mut de = Endpoints::for_cloud(Cloud::parse("germany").unwrap(), None).unwrap();
        let err = de.scope(Api::LogAnalytics).unwrap_err().to_string();
        assert!(
            err.contains("closed on 2021-10-29") && err.contains("endpoints.logAnalytics"),
            "{err}"
        );
        de.set("logAnalytics", "https://la.example.de").unwrap();
        assert_eq!(
            de.scope(Api::LogAnalytics).unwrap(),
            "https://la.example.de/.default"
        );
        assert!(de.authority().is_err());
    }

    #[test]
    fn overrides_keep_the_audience_unless_told() {
        let mut e = Endpoints::for_cloud(Cloud::Global, None).unwrap();
        e.set("logAnalytics", "http://127.0.0.1:9/global/la")
            .unwrap();
        let la = e.get(Api::LogAnalytics).unwrap();
        assert_eq!(la.url, "http://127.0.0.1:9/global/la/");
        assert_eq!(
            e.scope(Api::LogAnalytics).unwrap(),
            "https://api.loganalytics.io/.default"
        );
        e.set(
            "logAnalyticsAudience",
            "https://api.loganalytics.azure.com/",
        )
        .unwrap();
        assert_eq!(
            e.scope(Api::LogAnalytics).unwrap(),
            "https://api.loganalytics.azure.com/.default"
        );
        assert_eq!(
            e.api_of_scope("https://api.loganalytics.azure.com/.default"),
            Some(Api::LogAnalytics)
        );
        let err = e.set("logAnalytic", "https://x").unwrap_err().to_string();
        assert!(err.contains("did you mean `logAnalytics`?"), "{err}");
        assert!(e.set("resourceManager", "ftp://x").is_err());
        e.set("keyVaultSuffix", "vault.example.net").unwrap();
        assert_eq!(
            e.scope(Api::KeyVault).unwrap(),
            "https://vault.example.net/.default"
        );
    }

    #[test]
    fn unknown_cloud_names_suggest() {
        let err = Cloud::parse("globl").unwrap_err().to_string();
        assert!(err.contains("did you mean `global`?"), "{err}");
    }
}
