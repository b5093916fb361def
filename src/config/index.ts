export { getConfig, loadConfig, parseDbSetting } from './config.js';
export type { Config, DbConfig } from './config.js';
