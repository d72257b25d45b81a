namespace Kefu.Server.Uploads;

/// <summary>
/// Appends to an upload in S3. Bytes are staged in a local temporary file (never in memory); a commit puts them as
/// one new segment object. A segment below <see cref="S3FileStorage.MergeBelow"/> stays staged, so the next commit
/// writes a longer segment that replaces it: the number of objects per upload stays about size / 5 MiB however
/// small the client's PATCHes are.
/// </summary>
internal sealed class S3AppendStream : Stream
{
    private readonly S3FileStorage _storage;
    private readonly string _id;
    private readonly FileStream _staging;
    private readonly List<S3Segment> _superseded;
    private long _stagingStart;
    private bool _dirty;

    public S3AppendStream(S3FileStorage storage, string id, FileStream staging, long stagingStart, List<S3Segment> superseded, bool dirty)
    {
        _storage = storage;
        _id = id;
        _staging = staging;
        _stagingStart = stagingStart;
        _superseded = superseded;
        _dirty = dirty;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _stagingStart + _staging.Length;

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _staging.Write(buffer, offset, count);
        _dirty |= count > 0;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _staging.WriteAsync(buffer, cancellationToken);
        _dirty |= buffer.Length > 0;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Puts the staged bytes as a segment, then removes the segments it replaces. Durable in S3 once it returns.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }
        await _staging.FlushAsync(cancellationToken);
        var segment = await _storage.PutSegmentAsync(_id, _stagingStart, _staging, cancellationToken);
        foreach (var old in _superseded.Where(s => s.Key != segment.Key))
        {
            await _storage.DeleteKeyAsync(old.Key, cancellationToken);
        }
        _superseded.Clear();
        if (segment.Length >= S3FileStorage.MergeBelow)
        {
            _staging.SetLength(0);
            _stagingStart = segment.End;
        }
        else
        {
            _superseded.Add(segment);
        }
        _staging.Position = _staging.Length;
        _dirty = false;
    }

    public override void Flush() => _staging.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _staging.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _staging.DisposeAsync();
        await base.DisposeAsync();
    }
}
