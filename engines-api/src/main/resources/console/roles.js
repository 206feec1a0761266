// The roles and the rank rule as the API applies them (docs/api.md, "One rank rule"). The console
// uses them only to say in advance what the signed-in role may do; the API decides.

export const ROLES = ['viewer', 'member', 'admin', 'owner'];

/** Whether role is at least min (owner ⊃ admin ⊃ member ⊃ viewer). */
export function atLeast(role, min) {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/** Whether a caller of role manages a principal of rank target: owners everyone, admins the ranks below their own. */
export function manages(role, target) {
  return role === 'owner' || (role === 'admin' && !atLeast(target, 'admin'));
}

/** The roles a caller may give (invite as, change to): the ranks it manages. */
export function grantable(role) {
  return ROLES.filter((r) => manages(role, r)).reverse();
}

/** One sentence of what the role may do with members and keys. */
export function rankRule(role) {
  switch (role) {
    case 'owner':
      return 'As an owner you manage everyone: owners, admins, members and viewers, and every API key.';
    case 'admin':
      return 'As an admin you manage members and viewers and their keys; owners and admins (and their keys) are managed by owners.';
    default:
      return `As a ${role} you manage nobody else; you may create, rotate and revoke your own personal keys.`;
  }
}
