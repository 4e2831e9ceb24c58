import type { FirstHourStep } from '../../../../shared/contract';

export interface StepText {
  title: string;
  /** What the concept is, in two sentences. */
  concept: string;
  /** What ticks it, said plainly (the app watches; nothing to click). */
  how: string;
  link: { path: string; label: string };
}

/** The week-one path, in order; main decides when each is done (src/main/home/first-hour-rules.ts). */
export const stepTexts: Record<FirstHourStep, StepText> = {
  connect: {
    title: 'Connect to Podman',
    concept:
      'Podman runs containers: isolated copies of a program with everything it needs. PodDesk talks to the Podman service for you, the same one the podman command uses.',
    how: 'Ticked when PodDesk is connected to Podman.',
    link: { path: '/settings', label: 'Open Settings' },
  },
  container: {
    title: 'Run a first container and open its port',
    concept:
      'An image is a packaged program, and a container is one running copy of it. Publishing a port (such as 8080:80) lets your browser reach a server inside the container.',
    how: 'Ticked when a container with a published port has run.',
    link: { path: '/containers/new', label: 'Run a container' },
  },
  volume: {
    title: 'Keep data in a volume',
    concept:
      'A container’s own files go when the container is removed; a named volume keeps data apart from any container. Remove the container, mount the volume in a new one, and your files are still there.',
    how: 'Ticked when a new container uses a volume that outlived a removed one.',
    link: { path: '/volumes', label: 'Open Volumes' },
  },
  network: {
    title: 'Put two containers on a network',
    concept:
      'Containers on the same network you create find each other by name, through Podman’s DNS. The default network, podman, has no names: make your own.',
    how: 'Ticked when two running containers share a network with DNS.',
    link: { path: '/networks', label: 'Open Networks' },
  },
  jupyter: {
    title: 'Launch Jupyter Lab',
    concept:
      'A stack is containers, networks and volumes written in one Compose file and started together. Jupyter Lab is a stack of one: Python notebooks in your browser, kept in a volume.',
    how: 'Ticked when the Jupyter Lab stack runs.',
    link: { path: '/stacks/jupyter', label: 'Open Jupyter Lab' },
  },
  'ollama-chat': {
    title: 'Run Ollama, pull a small model and chat',
    concept:
      'Ollama serves language models on this computer through a small web API. Pull a small model, ask it something, and the reply is made here, offline.',
    how: 'Ticked when a chat reply arrives whole.',
    link: { path: '/chat', label: 'Open Chat' },
  },
  flask: {
    title: 'Build and launch the Flask AI web app',
    concept:
      'A Containerfile says how to build an image from your own code. The AI web app builds a small Flask app and runs it beside Ollama, which it reaches by name: http://ollama:11434.',
    how: 'Ticked when the AI web app stack runs.',
    link: { path: '/stacks/ai-webapp', label: 'Open the AI web app' },
  },
};
