import { MemoryAccountStore } from './memory-account-store';
import { describeAccountStore } from './account-store-contract';

describeAccountStore('memory', () => Promise.resolve(new MemoryAccountStore()));
