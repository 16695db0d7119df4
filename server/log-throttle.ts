/** The server's logs' line throttle, in shared/ since the app's LAN log uses it too. */
export { LineThrottle } from '../shared/log-throttle';
