// The extension end to end in headless Firefox ESR (geckodriver; dist/firefox installed as a
// temporary add-on). See scenario.mjs.
import { startFirefox } from './drivers.mjs';
import { defineScenario } from './scenario.mjs';

defineScenario('firefox', startFirefox);
