import { Center } from '@mantine/core';
import { Busy } from './Busy.tsx';

export function PageLoader() {
  return (
    <Center mih={240} aria-busy="true">
      <Busy label="Loading" />
    </Center>
  );
}
