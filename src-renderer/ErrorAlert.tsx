// The visible alert region: one line per error, newest last, each dismissable.

export interface AlertItem {
    id: number,
    message: string
}

export interface ErrorAlertProps {
    errors: readonly AlertItem[],
    onDismiss: (id: number) => void
}

export function ErrorAlert({errors, onDismiss}: ErrorAlertProps) {
    // The region is always in the page so screen readers announce messages added to it.
    return (
        <div className="alerts" role="alert" aria-live="assertive">
            {errors.map((item) => (
                <p key={item.id} className="alert">
                    <span className="alert-text">{item.message}</span>
                    <button type="button" className="secondary small-button" onClick={() => onDismiss(item.id)} aria-label={`Dismiss: ${item.message}`}>Dismiss</button>
                </p>
            ))}
        </div>
    );
}
