// The extension end to end in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core, --load-extension with dist/chrome). See scenario.mjs.
import { startChromium } from './drivers.mjs';
import { defineScenario } from './scenario.mjs';

defineScenario('chromium', startChromium);
