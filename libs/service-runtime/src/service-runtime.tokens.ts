/** The ServiceDefinition the runtime module was registered with. */
export const SERVICE_DEFINITION = Symbol('SERVICE_DEFINITION');

/** The ResolvedService: names with the namespace applied, port. */
export const RESOLVED_SERVICE = Symbol('RESOLVED_SERVICE');
