namespace Kefu.Server.Uploads;

/// <summary>Upload bytes as files under <c>&lt;DataDir&gt;/uploads/</c>, one per upload id.</summary>
internal sealed class LocalFileStorage(UploadPaths paths) : IFileStorage
{
    private const int BufferSize = 0; // The caller's pooled buffer is the only one.

    public Task<Stream> OpenAppendAsync(string id, long offset, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stream = new FileStream(paths.Data(id), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, BufferSize, FileOptions.Asynchronous);
        if (stream.Length != offset)
        {
            stream.SetLength(offset);
        }
        stream.Position = offset;
        return Task.FromResult<Stream>(stream);
    }

    public async Task CommitAsync(Stream appendStream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appendStream);
        await appendStream.FlushAsync(cancellationToken);
        if (appendStream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
    }

    public async Task<int> ReadRangeAsync(string id, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(paths.Data(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.Asynchronous);
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await RandomAccess.ReadAsync(handle, buffer[total..], offset + total, cancellationToken);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    public Task<Stream> OpenReadAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<Stream>(new FileStream(paths.Data(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.Asynchronous));
    }

    public async Task<long> WriteAsync(string id, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var target = paths.Data(id);
        var temp = target + ".tmp";
        long length;
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
        {
            await write(stream, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
            length = stream.Length;
        }
        File.Move(temp, target, overwrite: true);
        return length;
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        File.Delete(paths.Data(id));
        return Task.CompletedTask;
    }
}
