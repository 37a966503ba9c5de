import { useEffect, useRef, useState } from 'preact/hooks';

/** A header button that opens the panel `panelId`: a click outside closes it; Escape closes it and gives
 *  the focus back to the button. Put rootRef on the element holding both and spread buttonProps on the
 *  button (its ref, type and the ARIA state of the panel). */
export function useDropdown(panelId: string) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    const onDown = (e: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const buttonProps = {
    ref: buttonRef,
    type: 'button' as const,
    'aria-haspopup': 'true' as const,
    'aria-expanded': open,
    'aria-controls': panelId,
  };
  return { open, setOpen, rootRef, buttonProps };
}
