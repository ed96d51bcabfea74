import { Center, Loader } from '@mantine/core';

export function PageLoader() {
  return (
    <Center mih={240} aria-busy="true">
      <Loader role="status" aria-label="Loading" />
    </Center>
  );
}
