/**
 * `npm run worker`: the server started as ROLE=worker (it only works jobs from Redis). Kept so
 * existing deployments and scripts go on working; new ones set ROLE on `npm run serve`. The import
 * comes after the assignment because main.ts reads its configuration as it loads.
 */
process.env.ROLE = 'worker';
void import('./main.ts');
