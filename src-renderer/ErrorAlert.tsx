// Errors shown inline, in the panel whose action caused them: one line each, newest last, each dismissable.

/** Which panel an error belongs to. */
export const alertPlaces = ["hardware", "models", "bench", "export", "history"] as const;
export type AlertPlace = (typeof alertPlaces)[number];

export interface AlertItem {
    id: number,
    place: AlertPlace,
    message: string
}

export interface ErrorAlertProps {
    errors: readonly AlertItem[],
    onDismiss: (id: number) => void
}

export function ErrorAlert({errors, onDismiss}: ErrorAlertProps) {
    // Rendered only while it holds a message: an inserted role="alert" is announced by screen readers.
    if (errors.length === 0) return null;
    return (
        <div className="alerts" role="alert">
            {errors.map((item) => (
                <p key={item.id} className="alert">
                    <span className="alert-text">{item.message}</span>
                    <button type="button" className="secondary small-button" onClick={() => onDismiss(item.id)} aria-label={`Dismiss: ${item.message}`}>Dismiss</button>
                </p>
            ))}
        </div>
    );
}
