//! The parts of MSTICPy's `msticpyconfig.yaml` huntkit reuses: the `Azure` section (cloud),
//! the `AzureSentinel.Workspaces` list and the Defender data provider's environment.

use yaml_rust2::{Yaml, YamlLoader};

use crate::error::{Error, Result};

/// A Microsoft Sentinel / Log Analytics workspace from the config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workspace {
    /// The entry's name under `Workspaces` (`Default`, …).
    pub name: String,
    /// `WorkspaceId` (the Log Analytics workspace GUID).
    pub workspace_id: Option<String>,
    /// `TenantId`.
    pub tenant_id: Option<String>,
    /// `SubscriptionId`.
    pub subscription_id: Option<String>,
    /// `ResourceGroup`.
    pub resource_group: Option<String>,
    /// `WorkspaceName`.
    pub workspace_name: Option<String>,
}

/// What huntkit reads from a `msticpyconfig.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MsticpyConfig {
    /// `Azure.cloud` (MSTICPy's default is `global`).
    pub cloud: Option<String>,
    /// `Azure.resource_manager_url`, when set.
    pub resource_manager_url: Option<String>,
    /// The workspaces in file order (`Default` included).
    pub workspaces: Vec<Workspace>,
    /// `DataProviders.MicrosoftDefender.Args.Cloud` (or `MicrosoftGraph`): the Defender
    /// environment.
    pub defender_environment: Option<String>,
}

impl MsticpyConfig {
    /// Parses the YAML text of a `msticpyconfig.yaml`. Other sections are ignored; a value
    /// that MSTICPy would fetch from Key Vault or an environment variable is an error naming
    /// it (a page cannot read either).
    pub fn parse(text: &str) -> Result<MsticpyConfig> {
        let docs = YamlLoader::load_from_str(text)
            .map_err(|e| Error::config(format!("msticpyconfig.yaml is not valid YAML: {e}")))?;
        let doc = docs.first().cloned().unwrap_or(Yaml::Null);
        if !matches!(doc, Yaml::Hash(_) | Yaml::Null) {
            return Err(Error::config(
                "msticpyconfig.yaml should hold a mapping of sections (AzureSentinel, Azure, …)",
            ));
        }
        let mut config = MsticpyConfig {
            cloud: scalar(&doc["Azure"]["cloud"], "Azure.cloud")?,
            resource_manager_url: scalar(
                &doc["Azure"]["resource_manager_url"],
                "Azure.resource_manager_url",
            )?,
            ..MsticpyConfig::default()
        };
        for provider in ["MicrosoftDefender", "MDE", "MicrosoftGraph"] {
            let path = format!("DataProviders.{provider}.Args.Cloud");
            if let Some(env) = scalar(&doc["DataProviders"][provider]["Args"]["Cloud"], &path)? {
                config.defender_environment = Some(env);
                break;
            }
        }
        match &doc["AzureSentinel"]["Workspaces"] {
            Yaml::Hash(entries) => {
                for (name, fields) in entries {
                    let name = scalar(name, "AzureSentinel.Workspaces")?.unwrap_or_default();
                    let field = |key: &str| {
                        scalar(
                            &fields[key],
                            &format!("AzureSentinel.Workspaces.{name}.{key}"),
                        )
                    };
                    config.workspaces.push(Workspace {
                        workspace_id: field("WorkspaceId")?,
                        tenant_id: field("TenantId")?,
                        subscription_id: field("SubscriptionId")?,
                        resource_group: field("ResourceGroup")?,
                        workspace_name: field("WorkspaceName")?,
                        name,
                    });
                }
            }
            Yaml::BadValue | Yaml::Null => {}
            _ => {
                return Err(Error::config(
                    "AzureSentinel.Workspaces should be a mapping of workspace names to settings",
                ));
            }
        }
        Ok(config)
    }

    /// The workspace called `name`, or `Default` (else the first) when `name` is `None`.
    pub fn workspace(&self, name: Option<&str>) -> Result<&Workspace> {
        let found = match name {
            Some(n) => self.workspaces.iter().find(|w| w.name == n).or_else(|| {
                self.workspaces
                    .iter()
                    .find(|w| w.name.eq_ignore_ascii_case(n))
            }),
            None => self
                .workspaces
                .iter()
                .find(|w| w.name == "Default")
                .or(self.workspaces.first()),
        };
        found.ok_or_else(|| {
            let names: Vec<&str> = self.workspaces.iter().map(|w| w.name.as_str()).collect();
            match name {
                Some(n) => Error::config(format!(
                    "no workspace {n:?} in msticpyconfig.yaml; it has: {}",
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                )),
                None => Error::config("msticpyconfig.yaml has no AzureSentinel.Workspaces entry"),
            }
        })
    }
}

/// A scalar as text (`None` when absent or null); a mapping is an indirection huntkit cannot
/// follow.
fn scalar(v: &Yaml, path: &str) -> Result<Option<String>> {
    Ok(match v {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        Yaml::Null | Yaml::BadValue => None,
        Yaml::Hash(h) => {
            let how = h
                .keys()
                .filter_map(Yaml::as_str)
                .collect::<Vec<_>>()
                .join("/");
            return Err(Error::config(format!(
                "msticpyconfig.yaml: `{path}` is read through {how}, which a browser page \
                 cannot do; write the value itself in the text you pass"
            )));
        }
        _ => {
            return Err(Error::config(format!(
                "msticpyconfig.yaml: `{path}` should be a single value"
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
# msticpyconfig.yaml as MSTICPy's settings editor writes it
AzureSentinel:
  Workspaces:
    Default:
      WorkspaceId: "52b1ab41-869e-4138-9e40-2a4457f09bf0"
      TenantId: 72f988bf-86f1-41af-91ab-2d7cd011db49
    Hunting:
      WorkspaceId: a927809c-8142-43e1-96b3-4ad87cfe95a3
      TenantId: 69d28fd7-42a5-48bc-a619-af56397b9f28
      SubscriptionId: 3b701f84-d04b-4479-89b1-fa8827eb537e
      ResourceGroup: soc-rg
      WorkspaceName: soc-ws
QueryDefinitions:
  Custom:
    - testdata/queries
TIProviders:
  OTX:
    Args:
      AuthKey:
        EnvironmentVar: "OTX_AUTH"
    Primary: True
    Provider: "OTX"
Azure:
  cloud: "usgov"
  auth_methods: ["cli", "msi", "interactive"]
DataProviders:
  MicrosoftDefender:
    Args:
      ClientId: 11111111-2222-3333-4444-555555555555
      Cloud: gcc-high
"#;

    #[test]
    fn reads_cloud_workspaces_and_defender_environment() {
        let c = MsticpyConfig::parse(SAMPLE).unwrap();
        assert_eq!(c.cloud.as_deref(), Some("usgov"));
        assert_eq!(c.defender_environment.as_deref(), Some("gcc-high"));
        assert_eq!(
            c.workspaces
                .iter()
                .map(|w| w.name.as_str())
                .collect::<Vec<_>>(),
            ["Default", "Hunting"]
        );
        let d = c.workspace(None).unwrap();
        assert_eq!(
            d.workspace_id.as_deref(),
            Some("52b1ab41-869e-4138-9e40-2a4457f09bf0")
        );
        assert_eq!(
            d.tenant_id.as_deref(),
            Some("72f988bf-86f1-41af-91ab-2d7cd011db49")
        );
        assert_eq!(d.subscription_id, None);
        let h = c.workspace(Some("hunting")).unwrap();
        assert_eq!(
            (h.resource_group.as_deref(), h.workspace_name.as_deref()),
            (Some("soc-rg"), Some("soc-ws"))
        );
        let err = c.workspace(Some("Nope")).unwrap_err().to_string();
        assert!(err.contains("it has: Default, Hunting"), "{err}");
    }

    #[test]
    fn bad_yaml_and_indirections_are_named() {
        let err = MsticpyConfig::parse("AzureSentinel: [unclosed").unwrap_err();
        assert_eq!(err.code(), "invalid-config");
        assert!(err.to_string().contains("not valid YAML"), "{err}");
        let kv =
            "AzureSentinel:\n  Workspaces:\n    Default:\n      TenantId:\n        KeyVault: tid\n";
        let err = MsticpyConfig::parse(kv).unwrap_err().to_string();
        assert!(
            err.contains("`AzureSentinel.Workspaces.Default.TenantId` is read through KeyVault"),
            "{err}"
        );
        assert_eq!(MsticpyConfig::parse("").unwrap(), MsticpyConfig::default());
        assert!(MsticpyConfig::parse("").unwrap().workspace(None).is_err());
    }
}
