// Setup file of the unit project: properties that name no run count try
// fast-check's 100 by default, and as many more as TEST_DEPTH asks for.
import fc from 'fast-check';
import { propertyRuns } from './property-runs';

fc.configureGlobal({ numRuns: propertyRuns(100) });
