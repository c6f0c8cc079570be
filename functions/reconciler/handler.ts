// Placeholder while the foundation lands; replaced by the real handler in the same series of commits.
export const handler = async (): Promise<void> => {};
