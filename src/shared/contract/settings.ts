import { z } from 'zod';
import { call } from './define';
import { endpointSchema } from './connection';
import { kind } from './kinds';
import { ollamaAddressProblem } from '../ollama-address';
import { firstHourSchema } from './home';

/** The settings file as main keeps it. */
export const settingsSchema = z.object({
  /** The connection the user picked; null means "find one for me". Set through connection.choose / connection.add only. */
  connection: z.object({ endpoint: endpointSchema, label: z.string() }).nullable().default(null),
  /** Start `podman system service` when Podman is installed but nothing listens. */
  autoStartService: z.boolean().default(false),
  theme: z.enum(['auto', 'light', 'dark']).default('auto'),
  /**
   * The Ollama server; null means "find one for me". Main sends requests there: http(s) only, no
   * credentials, not a link-local address (see ollama-address.ts).
   */
  ollamaHost: kind(
    'url',
    z
      .string()
      .trim()
      .max(2048)
      .superRefine((text, ctx) => {
        const problem = ollamaAddressProblem(text);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  )
    .nullable()
    .default(null),
  /** The image of the helper container that opens volumes not readable from here (pulled once, with consent). */
  volumeHelperImage: kind('name', z.string().trim().min(1).max(512)).default('docker.io/library/busybox:latest'),
  /** `auto`: read a volume's mount point directly where this computer can; `helper`: always use the helper. */
  volumeAccess: z.enum(['auto', 'helper']).default('auto'),
  /** The Home page's checklist: main ticks it from what happened (home.progress), never the page. */
  firstHour: firstHourSchema.default(firstHourSchema.parse({})),
});
export type Settings = z.infer<typeof settingsSchema>;

/**
 * A patch may name any subset of the settings but the connection (the page chooses one with
 * connection.choose or adds one with connection.add, never by sending an endpoint) and the
 * first-hour progress (main ticks it from what really happened); unknown keys are refused, not
 * ignored.
 */
export const settingsPatchSchema = settingsSchema.omit({ connection: true, firstHour: true }).partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const settingsCalls = {
  'settings.get': call(z.void()).returns<Settings>(),
  'settings.update': call(settingsPatchSchema).returns<Settings>(),
};
