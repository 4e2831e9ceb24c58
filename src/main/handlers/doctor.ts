import type { DoctorReport } from '../../shared/contract';
import type { Doctor } from '../podman/doctor/doctor';
import type { CallHandlers, StreamHandlers } from '../rpc/handlers';

/** `onReport` sees each report the check emits (the Home page's checklist listens). */
export function doctorHandlers(doctor: Doctor, onReport: (report: DoctorReport) => void = () => {}) {
  const calls = {
    'doctor.target': ({ id }) => doctor.target(id),
  } satisfies Partial<CallHandlers>;
  const streams = {
    'doctor.check': (input, emit, signal) =>
      doctor.check(
        input,
        (report) => {
          onReport(report);
          emit(report);
        },
        signal,
      ),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
