import { Box } from '@mantine/core';
import { type DragEvent, type ReactNode, useState } from 'react';

/**
 * Where a studio screen takes a dropped image file: dashed and highlighted while a file is dragged
 * over it. `framed={false}` drops the frame once an image is shown (Edit's canvas fills it).
 */
export function DropZone({
  onFile,
  disabled = false,
  framed = true,
  multiple = false,
  testId,
  children,
}: {
  onFile: (file: File) => void;
  disabled?: boolean;
  framed?: boolean;
  /** Every dropped file goes to `onFile`, not only the first. */
  multiple?: boolean;
  testId: string;
  children: ReactNode;
}) {
  const [dragging, setDragging] = useState(false);
  const drop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    if (disabled) {
      return;
    }
    const files = [...e.dataTransfer.files];
    for (const file of multiple ? files : files.slice(0, 1)) {
      onFile(file);
    }
  };
  return (
    <Box
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      p={framed ? 'md' : 0}
      style={{
        border: framed
          ? `2px dashed ${dragging ? 'var(--mantine-primary-color-filled)' : 'var(--mantine-color-default-border)'}`
          : undefined,
        borderRadius: 'var(--mantine-radius-md)',
        background: dragging ? 'var(--mantine-primary-color-light)' : undefined,
        textAlign: framed ? 'center' : undefined,
      }}
    >
      {children}
    </Box>
  );
}
