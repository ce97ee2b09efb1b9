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
