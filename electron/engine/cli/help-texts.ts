/**
 * Help of the commands whose code is loaded only when they run (the CLI starts faster when
 * `vigie --help` or `vigie status` does not load the engine, DuckDB and the SNMP stack).
 */
export const INVENTORY_HELP = `  vigie inventory check FILE...
      Validate inventory files (JSON, or CSV named after its table: zones.csv, rooms.csv,
      racks.csv, devices.csv, services.csv) merged together; problems name file, line and column.
  vigie inventory export --config FILE [--format json|csv] [--out PATH]
      Write the configuration's inventory (included files merged) as one JSON document (stdout
      or PATH) or as one CSV file per table in the folder PATH. Secrets are never written.
`;

export const DEVICE_HELP = `  vigie device poll ID (--config FILE | --estate) [--interval SECONDS] [--json]
      Poll one device now with its MIB profiles: readings, statuses, missing values with their
      reason, poll health. --interval polls twice, SECONDS apart, so counters become rates.
  vigie device walk ID PROFILE (--config FILE | --estate) [--max-repetitions N] [--json]
      Run one MIB profile (built-in or from the configuration) against one device.
`;

export const ALARMS_HELP = `  vigie alarms list [--state STATE]... [--json] [--data-dir DIR]
      The running engine's open alarms, worst first (STATE: outstanding, acknowledged, snoozed,
      resolved).
  vigie alarms show ID [--json] [--data-dir DIR]
      One alarm with its history (who, when, why) and its children.
  vigie alarms ack ID --comment TEXT [--sticky] [--data-dir DIR]
      Acknowledge an alarm as operator (audited). ID may be the first 8 characters of the id.
`;

export const SECRETS_HELP = `  vigie secrets set NAME [--config FILE] [--data-dir DIR]
      Store a secret in the engine's encrypted vault (audited); the value is read from standard
      input or typed at a prompt that does not show it, never from the command line. The
      inventory names it as vault:NAME. Key: $VIGIE_VAULT_KEY, else $VIGIE_VAULT_KEY_FILE, else
      DIR/secrets.key (created mode 0600 with the vault).
  vigie secrets list [--config FILE] [--data-dir DIR] [--json]
      Names, dates and where the configuration uses them; never values.
  vigie secrets delete NAME [--config FILE] [--data-dir DIR]
      Remove a secret from the vault (audited).
`;

export const USERS_HELP = `  vigie users list [--json] [--estate] [--data-dir DIR]
      Local accounts: login, roles, clients, TOTP, disabled or locked out.
  vigie users add LOGIN --name NAME --role ROLE... [--client ID...] [--estate] [--data-dir DIR]
      Create a person (clients default to all, "*"); the password is asked for (or read from stdin).
  vigie users disable|enable LOGIN [--estate] [--data-dir DIR]
      Disabling ends the person's sessions at once.
  vigie users passwd LOGIN [--estate] [--data-dir DIR]
      Set a new password (asked for, or read from stdin); ends the person's sessions.
  vigie users totp LOGIN [--remove] [--estate] [--data-dir DIR]
      Enrol TOTP: prints the otpauth:// URI, then asks for a first code to confirm. --remove
      takes it away (a lost phone).
  vigie users roles LOGIN [--role ROLE...] [--client ID...] [--estate] [--data-dir DIR]
      Replace a person's roles and/or clients. ROLE: viewer, operator, oncall, service-manager,
      sla-admin, publisher, admin.
      The engine must be stopped: these commands open its account store (--estate: the training one).
`;

export const AUDIT_HELP = `  vigie audit verify [--data-dir DIR] [--training] [--json]
      Check the audit trail's hash chain and its anchors (works with no engine running); exits 1
      naming the first entry modified, inserted or removed, or the end cut off.
  vigie audit export [--format jsonl|csv] [--from TIME] [--to TIME] [--actor TEXT]
                     [--action PREFIX] [--out FILE] [--data-dir DIR] [--training]
      The audit trail's entries, oldest first, with their hashes (no secret is ever in them).
`;
