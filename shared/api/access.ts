/**
 * Who may do what. A person holds one or more roles; each role grants capabilities; every
 * channel of the contract names the one capability it needs (or `public` for what a seat may
 * call before anyone signs in). The engine checks this on every request, on both transports;
 * the renderer uses the same table only to hide what a person cannot do.
 *
 * Roles follow the organisation's duties (DOMAIN.md): supervision operators, on-call engineers
 * who trigger failover, chain service managers who review the flash report, the SLA
 * administrators who keep the catalogue, communication staff who publish notices, and the
 * administrators of Vigie itself. An administrator does not acknowledge alarms or trigger
 * failover by virtue of that role: duties stay separate unless a person is given both roles.
 */
import { z } from 'zod';
import { ALL_CLIENTS, type Role } from '../domain/identity';

export { ALL_CLIENTS, ROLES, roleSchema, type Role } from '../domain/identity';

export const CAPABILITIES = [
  /** Overview, alarms and services, limited to the person's clients. */
  'view',
  /** Datacenter equipment, traps, metrics and dashboards: shared infrastructure, all clients only. */
  'view.infrastructure',
  'alarms.act',
  'handover.write',
  'maintenance.write',
  'dashboards.write',
  /** Run allow-listed SSH diagnostics and confirm host keys. */
  'diagnostics.run',
  /** Start and end drills on the training estate. */
  'estate.drill',
  'audit.read',
  'secrets.manage',
  'users.manage',
  'failover.request',
  'failover.approve',
  'notices.publish',
  'sla.administer',
  'reports.review',
] as const;
export const capabilitySchema = z.enum(CAPABILITIES);
export type Capability = z.infer<typeof capabilitySchema>;

/** What a channel needs: a capability, or nothing at all (signing in, the app's identity). */
export type Access = Capability | 'public';

const OPERATOR: readonly Capability[] = [
  'view',
  'view.infrastructure',
  'alarms.act',
  'handover.write',
  'maintenance.write',
  'dashboards.write',
  'diagnostics.run',
  'estate.drill',
];

export const ROLE_CAPABILITIES: Readonly<Record<Role, readonly Capability[]>> = {
  viewer: ['view', 'view.infrastructure'],
  operator: OPERATOR,
  oncall: [...OPERATOR, 'failover.request', 'failover.approve'],
  'service-manager': ['view', 'view.infrastructure', 'dashboards.write', 'reports.review'],
  'sla-admin': ['view', 'view.infrastructure', 'sla.administer', 'reports.review'],
  publisher: ['view', 'notices.publish'],
  admin: [
    'view',
    'view.infrastructure',
    'audit.read',
    'secrets.manage',
    'users.manage',
    'maintenance.write',
    'dashboards.write',
  ],
};

/**
 * The capabilities of a person with these roles and this client scope. Shared infrastructure
 * (equipment, metrics, dashboards) is withheld from a person scoped to some clients: those
 * views cannot be cut along client lines.
 */
export function capabilitiesOf(roles: readonly Role[], clients: readonly string[]): Capability[] {
  const all = clients.includes(ALL_CLIENTS);
  const granted = new Set<Capability>();
  for (const role of roles) for (const c of ROLE_CAPABILITIES[role]) granted.add(c);
  if (!all) granted.delete('view.infrastructure');
  return CAPABILITIES.filter((c) => granted.has(c));
}

/** Whether these capabilities open a channel that needs `access`. */
export function accessAllows(capabilities: readonly Capability[], access: Access): boolean {
  return access === 'public' || capabilities.includes(access);
}
