namespace Kefu.Server.Uploads;

/// <summary>Where upload bytes live: local disk (<see cref="LocalFileStorage"/>) or an S3-compatible bucket (<see cref="S3FileStorage"/>).</summary>
internal interface IFileStorage
{
    /// <summary>A writable stream positioned at <paramref name="offset"/>; anything past it (an unrecorded write) is dropped.</summary>
    Task<Stream> OpenAppendAsync(string id, long offset, CancellationToken cancellationToken);

    /// <summary>
    /// Makes everything written to an append stream durable (flushed to the disk, not only to the OS), so an offset
    /// recorded after it survives a crash of the machine.
    /// </summary>
    Task CommitAsync(Stream appendStream, CancellationToken cancellationToken);

    /// <summary>Reads up to <paramref name="buffer"/>'s length from <paramref name="offset"/>; returns how many bytes were read.</summary>
    Task<int> ReadRangeAsync(string id, long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>A seekable read stream over the whole file, for downloads with ranges.</summary>
    Task<Stream> OpenReadAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a whole object (a thumbnail, or a file rewritten without its location metadata) and puts it in place
    /// atomically: readers see the old bytes or the new, never part of them. Returns the new length.
    /// </summary>
    Task<long> WriteAsync(string id, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);

    /// <summary>Removes the object; a missing one is not an error.</summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken);
}
