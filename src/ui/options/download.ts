/** Saves text as a file the user downloads; pages pass this, tests pass a recorder. */
export type Downloader = (filename: string, mimeType: string, text: string) => void;

export const downloadText: Downloader = (filename, mimeType, text) => {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
