// Saves exported text as a file through the browser's download (Electron shows its save dialog for it).

export interface DownloadFileOptions {
    fileName: string,
    mime: string,
    content: string
}

export function downloadFile(options: DownloadFileOptions): void {
    const url = URL.createObjectURL(new Blob([options.content], {type: options.mime}));
    const link = document.createElement("a");
    link.href = url;
    link.download = options.fileName;
    link.style.display = "none";
    document.body.append(link);
    link.click();
    link.remove();
    // Revoked later: some browsers read the blob after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
