/** The MIB profiles a running Vigie knows: the built-in ones and the configuration's own, by id. */
import { VigieError } from '../../../../shared/api/envelope';
import { builtInProfilesDir, combineProfiles, loadMibProfiles } from './profiles/load-profiles';
import type { MibProfile } from './profiles/mib-profile-schema';

export async function loadKnownProfiles(
  userDefined: readonly MibProfile[],
): Promise<Map<string, MibProfile>> {
  const dir = builtInProfilesDir();
  if (dir === null)
    throw new VigieError('INTERNAL', 'the built-in MIB profiles (resources/mib-profiles) were not found');
  return combineProfiles(await loadMibProfiles(dir), userDefined);
}
