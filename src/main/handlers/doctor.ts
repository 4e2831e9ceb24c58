import type { Doctor } from '../podman/doctor/doctor';
import type { CallHandlers, StreamHandlers } from '../rpc/handlers';

export function doctorHandlers(doctor: Doctor) {
  const calls = {
    'doctor.target': ({ id }) => doctor.target(id),
  } satisfies Partial<CallHandlers>;
  const streams = {
    'doctor.check': (input, emit, signal) => doctor.check(input, emit, signal),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
