export * from './contract';
export * from './envelope';
export * from './overview';
export * from './bridge';
export * from './wire';
export * from './equipment';
export * from './diagnostics';
export * from './alarms';
