//! Lookups against the embedded catalog, on names real detections use.

#![allow(clippy::unwrap_used)]

use palisade_catalog::attack;
use palisade_catalog::builtins::{self, FunctionKind};
use palisade_catalog::{Catalog, ColumnType, Origin};

#[test]
fn common_security_log_has_destination_ip() {
    let table = Catalog::builtin().table("CommonSecurityLog").unwrap();
    assert_eq!(table.origin(), Origin::AzureMonitor);
    assert_eq!(table.column("DestinationIP").unwrap().ty, ColumnType::String);
    // The overlay adds `_ItemId` to CommonSecurityLog.
    assert!(table.column("_ItemId").is_some());
    assert!(!table.is_open());
}

#[test]
fn device_network_events_has_remote_ip_and_timestamp() {
    let table = Catalog::builtin().table("DeviceNetworkEvents").unwrap();
    assert_eq!(table.column("RemoteIP").unwrap().ty, ColumnType::String);
    assert_eq!(table.column("Timestamp").unwrap().ty, ColumnType::Datetime);
    assert_eq!(table.column("TimeGenerated").unwrap().ty, ColumnType::Datetime);
}

#[test]
fn signin_logs_has_tenant_id_from_the_overlay() {
    let table = Catalog::builtin().table("SigninLogs").unwrap();
    assert_eq!(table.column("TenantId").unwrap().ty, ColumnType::String);
    assert_eq!(table.column("ResultType").unwrap().ty, ColumnType::String);
}

#[test]
fn names_are_case_sensitive_and_suggested() {
    let catalog = Catalog::builtin();
    assert!(catalog.table("signinlogs").is_none());
    assert_eq!(catalog.suggest_table("signinlogs"), Some("SigninLogs"));
    assert_eq!(catalog.suggest_table("SecurityEvnt"), Some("SecurityEvent"));

    let table = catalog.table("SecurityEvent").unwrap();
    assert!(table.column("eventid").is_none());
    assert_eq!(table.suggest_column("eventid"), Some("EventID"));
    assert_eq!(table.suggest_column("Acount"), Some("Account"));
}

#[test]
fn connector_tables_are_included() {
    let catalog = Catalog::builtin();
    let connector = catalog.tables().filter(|table| table.origin() == Origin::Connector).count();
    assert!(connector > 150, "{connector} connector tables");
    assert!(catalog.tables().count() > 850);
    let table = catalog.table("GSuite_ReportsAPI_login_CL").unwrap();
    assert!(!table.columns().is_empty());
}

#[test]
fn watchlist_function_returns_an_open_table() {
    let function = Catalog::builtin().function("_GetWatchlist").unwrap();
    assert_eq!(function.parameters().len(), 2);
    assert_eq!(function.parameters()[0].name, "watchlistAlias");
    assert_eq!(function.parameters()[0].ty, ColumnType::String);
    assert_eq!(function.parameters()[1].default, Some("dynamic([])"));
    assert_eq!(function.min_args(), 1);
    assert!(function.output_is_open());
    assert!(function.output().column("SearchKey").is_some());
}

#[test]
fn asim_parsers_have_parameters_and_output_columns() {
    let catalog = Catalog::builtin();
    let function = catalog.function("imDns").unwrap();
    assert!(function.parameters().iter().any(|parameter| parameter.name == "starttime"));
    assert_eq!(function.min_args(), 0);
    assert!(function.output_is_open());
    assert!(function.output().column("DnsQuery").is_some());
    assert!(catalog.functions().count() >= 219);
    assert!(catalog.table("__Open_ASimDns").is_none());
    assert_eq!(catalog.suggest_function("imDNS"), Some("imDns"));
}

#[test]
fn kql_builtins_know_functions_aggregates_and_plugins() {
    let strcat = builtins::scalar_function("strcat").unwrap();
    assert!(strcat.accepts_args(2));
    assert!(!strcat.accepts_args(0));
    let dcount = builtins::aggregate_function("dcount").unwrap();
    assert_eq!(dcount.kind, FunctionKind::Aggregate);
    assert!(builtins::plugin("bag_unpack").unwrap().tabular);
    assert!(builtins::scalar_function("dcount").is_none());
    assert_eq!(builtins::builtin().suggest(FunctionKind::Scalar, "tolowr"), Some("tolower"));
    assert_eq!(builtins::builtin().of_kind(FunctionKind::Plugin).count(), 47);
}

#[test]
fn attack_techniques_with_sentinel_tactics() {
    let valid_accounts = attack::technique("T1078").unwrap();
    assert_eq!(valid_accounts.name, "Valid Accounts");
    assert!(valid_accounts.tactics.contains(&"InitialAccess"));
    assert!(valid_accounts.tactics.contains(&"PrivilegeEscalation"));
    assert!(!valid_accounts.subtechnique);

    let cloud = attack::technique("T1078.004").unwrap();
    assert!(cloud.subtechnique);

    let revoked = attack::technique("T1002").unwrap();
    assert!(revoked.revoked);
    assert_eq!(revoked.revoked_by, Some("T1560"));

    assert!(attack::technique("T9999").is_none());
    assert_eq!(attack::techniques().len(), 835);
    assert!(attack::tactics().contains(&"CommandAndControl"));
}
