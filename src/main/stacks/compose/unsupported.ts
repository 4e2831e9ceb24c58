/**
 * Keys of the Compose spec that PodDesk does not apply, each with what happens instead. An error
 * refuses the file (launching without the key would run something other than what docker
 * compose runs); a warning is for a key whose absence changes nothing that runs, or for one
 * docker compose itself ignores outside swarm. The key is `<where>.<key>`, where is a knownKeys
 * pattern.
 */
export interface Unsupported {
  severity: 'error' | 'warning';
  note: string;
}

const WINDOWS_ONLY: Unsupported = {
  severity: 'warning',
  note: 'it applies to Windows containers only and has no effect on Linux (docker compose passes it on and Linux ignores it)',
};

export const UNSUPPORTED: Record<string, Unsupported> = {
  'services.*.develop': {
    severity: 'warning',
    note: 'PodDesk does not watch your files: after a change, relaunch the stack (for a build, "Rebuild images and relaunch")',
  },
  'services.*.post_start': {
    severity: 'error',
    note: 'PodDesk does not run post_start hooks; launching without them would skip a step the file asks for. Move the command into the image or its entrypoint',
  },
  'services.*.pre_stop': {
    severity: 'warning',
    note: 'PodDesk does not run pre_stop hooks: the container gets its stop signal directly',
  },
  'services.*.cpu_count': WINDOWS_ONLY,
  'services.*.cpu_percent': WINDOWS_ONLY,
  'services.*.credential_spec': WINDOWS_ONLY,
  'services.*.domainname': {
    severity: 'warning',
    note: 'Podman 4.3 cannot set a container’s domain name: the container has none (its hostname is set as usual)',
  },
  'services.*.external_links': {
    severity: 'error',
    note: 'links to containers outside the stack are not supported: put the service on a network that container is on (an external network) and reach it by its name',
  },
  'services.*.models': {
    severity: 'error',
    note: 'Docker Model Runner models are not available with Podman: run the model with the Ollama stack and point the service at http://ollama:11434',
  },
  'services.*.provider': {
    severity: 'error',
    note: 'services run by an external provider (a docker compose plugin) are not supported',
  },
  'services.*.pull_refresh_after': {
    severity: 'warning',
    note: 'PodDesk does not track when an image was last pulled: the image is pulled when it is missing',
  },
  'services.*.use_api_socket': {
    severity: 'error',
    note: 'PodDesk does not hand the engine’s socket to a container: whoever holds it controls every container. If you mean it, mount the socket under volumes (it is then listed under "This computer")',
  },
  'services.*.isolation': WINDOWS_ONLY,
  'services.*.build.ssh': {
    severity: 'error',
    note: 'Podman 4.3’s build API takes no SSH agent or keys: build the image with `podman build --ssh` in a terminal, or hand the build what it needs with build.secrets',
  },
  'services.*.build.additional_contexts': {
    severity: 'error',
    note: 'Podman 4.3’s build API takes a single build context: copy what the build needs into it',
  },
  'services.*.build.privileged': {
    severity: 'error',
    note: 'privileged builds are not available through Podman’s build API',
  },
  'services.*.build.entitlements': {
    severity: 'error',
    note: 'build entitlements are a BuildKit feature; Podman’s build API has none',
  },
  models: {
    severity: 'error',
    note: 'Docker Model Runner models are not available with Podman: run the model with the Ollama stack',
  },
};
