import { lazy, Suspense } from 'react';
import { closeDoctor, useDoctorRequest } from './open';

// The dialog's code loads the first time someone asks: nothing of it slows the app's start.
const DoctorDialog = lazy(() => import('./DoctorDialog').then((m) => ({ default: m.DoctorDialog })));

/** Mounted once beside the pages: shows the doctor's dialog when someone opens it. */
export function DoctorHost() {
  const request = useDoctorRequest();
  if (!request) return null;
  return (
    <Suspense fallback={null}>
      <DoctorDialog key={request.key} request={request} onClose={closeDoctor} />
    </Suspense>
  );
}
