// Tests use the codec's fixed sample payload.
export { sampleDcc } from '../sample-dcc.js';
