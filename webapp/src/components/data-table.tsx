import { type ReactNode, useId } from 'react';

export interface DataTableProps {
  className: string;
  testId: string;
  /** The table's name (its caption). */
  caption: string;
  /** The caption for screen readers only (the heading above says it already). */
  captionHidden?: boolean;
  /** The column headings, left to right. */
  columns: string[];
  /** A last column of the rows' buttons: its heading for screen readers only. */
  actions?: string;
  /** A wide table scrolls in a focusable region named by the caption (a keyboard scrolls it too). */
  scroll?: { className: string; testId?: string };
  /** The rows. */
  children: ReactNode;
  /** The totals' rows. */
  foot?: ReactNode;
}

/** A table of records: caption, column headings (scope="col"), rows, and the totals where given. */
export const DataTable = ({
  className,
  testId,
  caption,
  captionHidden = false,
  columns,
  actions,
  scroll,
  children,
  foot,
}: DataTableProps) => {
  const captionId = useId();
  const table = (
    <table className={className} data-testid={testId}>
      <caption id={scroll ? captionId : undefined} className={captionHidden ? 'visually-hidden' : undefined}>
        {caption}
      </caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">{actions}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
      {foot && <tfoot>{foot}</tfoot>}
    </table>
  );
  if (!scroll) return table;
  return (
    <div
      className={scroll.className}
      role="region"
      aria-labelledby={captionId}
      tabIndex={0}
      data-testid={scroll.testId}
    >
      {table}
    </div>
  );
};
