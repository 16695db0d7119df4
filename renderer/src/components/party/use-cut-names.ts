import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether a name in `ref`'s element is cut short (names.css: two lines at most), measured
 * again whenever the element's size changes (a member joins, the window narrows). While focus
 * is inside, the names show whole: the last answer stands until it leaves. `names` picks which
 * names count (those no control of their own shows whole).
 */
export function useCutNames(
  ref: RefObject<HTMLElement | null>,
  names: string = '.name-clamp',
): boolean {
  const [cut, setCut] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      if (element.contains(document.activeElement)) return;
      const shown = element.querySelectorAll<HTMLElement>(names);
      setCut([...shown].some((name) => name.scrollHeight > name.clientHeight + 1));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, names]);
  return cut;
}
