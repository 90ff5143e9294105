/** Entry ids this server is handling right now, per stream. */
export class InFlightEntries {
  private readonly byStream = new Map<string, Set<string>>();

  add(stream: string, id: string): void {
    let ids = this.byStream.get(stream);
    if (!ids) {
      ids = new Set();
      this.byStream.set(stream, ids);
    }
    ids.add(id);
  }

  delete(stream: string, id: string): void {
    this.byStream.get(stream)?.delete(id);
  }

  has(stream: string, id: string): boolean {
    return this.byStream.get(stream)?.has(id) ?? false;
  }

  /** Streams with entries in flight, and their ids. */
  *streams(): IterableIterator<[string, string[]]> {
    for (const [stream, ids] of this.byStream) {
      if (ids.size > 0) {
        yield [stream, [...ids]];
      }
    }
  }
}
