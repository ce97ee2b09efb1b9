import { describe, expect, it } from 'vitest';
import { accessAllows, capabilitiesOf, ROLE_CAPABILITIES, ROLES } from './access';

describe('roles and capabilities', () => {
  it('gives every role the right to view, and nothing that acts to a viewer', () => {
    for (const role of ROLES) expect(ROLE_CAPABILITIES[role]).toContain('view');
    expect(capabilitiesOf(['viewer'], ['*'])).toEqual(['view', 'view.infrastructure']);
  });
  it('keeps duties apart: an administrator neither acknowledges alarms nor triggers failover', () => {
    const admin = capabilitiesOf(['admin'], ['*']);
    expect(admin).toContain('audit.read');
    expect(admin).not.toContain('alarms.act');
    expect(admin).not.toContain('failover.request');
    expect(capabilitiesOf(['operator'], ['*'])).not.toContain('failover.request');
    expect(capabilitiesOf(['oncall'], ['*'])).toContain('failover.request');
    expect(capabilitiesOf(['publisher'], ['*'])).toEqual(['view', 'notices.publish']);
  });
  it('adds up the capabilities of several roles, each once, in the table order', () => {
    const both = capabilitiesOf(['admin', 'operator'], ['*']);
    expect(both).toContain('alarms.act');
    expect(both).toContain('users.manage');
    expect(new Set(both).size).toBe(both.length);
  });
  it('withholds shared infrastructure from a person scoped to some clients', () => {
    expect(capabilitiesOf(['operator'], ['onem'])).not.toContain('view.infrastructure');
    expect(capabilitiesOf(['operator'], ['onem'])).toContain('alarms.act');
  });
  it('opens public channels to anyone and the others by capability', () => {
    expect(accessAllows([], 'public')).toBe(true);
    expect(accessAllows(['view'], 'alarms.act')).toBe(false);
    expect(accessAllows(['view', 'alarms.act'], 'alarms.act')).toBe(true);
  });
});
