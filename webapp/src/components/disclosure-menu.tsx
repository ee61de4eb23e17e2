import type { ReactNode } from 'react';

import { useDisclosure } from '@/hooks/use-disclosure';

type Disclosure = ReturnType<typeof useDisclosure>;

export interface DisclosureMenuProps<Item extends { id: string }> {
  className: string;
  /** The button that opens the list, with the disclosure's attributes (`toggle`) on it. */
  button: (toggle: Disclosure['toggle']) => ReactNode;
  list: { className: string; testId?: string };
  items: Item[];
  /** One item's button; `choose` wraps its click so that the list closes first. */
  item: (item: Item, choose: Disclosure['choose']) => ReactNode;
}

/** A button that opens a list of buttons (useDisclosure: Escape, a click outside or a choice closes it). */
export const DisclosureMenu = <Item extends { id: string }>({
  className,
  button,
  list: { className: listClassName, testId },
  items,
  item,
}: DisclosureMenuProps<Item>) => {
  const { rootRef, toggle, list, choose } = useDisclosure();
  return (
    <div className={className} ref={rootRef}>
      {button(toggle)}
      <ul {...list} className={listClassName} data-testid={testId}>
        {items.map((entry) => (
          <li key={entry.id}>{item(entry, choose)}</li>
        ))}
      </ul>
    </div>
  );
};
