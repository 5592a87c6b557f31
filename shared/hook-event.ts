// The CustomEvent type the page hook dispatches on `document` (its own file: the hook bundles no zod).
export const HOOK_EVENT = 'creditwatch:call';
