using Amazon.S3;
using Amazon.S3.Model;

namespace Kefu.Server.Uploads;

/// <summary>
/// A seekable read stream over an upload's segments in S3: each read continues a ranged GET of the segment under
/// the position, and a seek only moves the position (the next read opens a new range), so range requests and image
/// decoding read just the bytes they need. With <paramref name="readEnd"/>, no GET asks for bytes past it.
/// </summary>
internal sealed class S3ReadStream(IAmazonS3 client, string bucket, IReadOnlyList<S3Segment> chain, long readEnd = long.MaxValue) : Stream
{
    private readonly long _length = chain.Count == 0 ? 0 : chain[^1].End;
    private long _position;
    private GetObjectResponse? _response;
    private long _bodyPosition = -1;
    private long _bodyEnd;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0 && _position < _length)
        {
            if (_response is null || _bodyPosition != _position)
            {
                await OpenAtPositionAsync(cancellationToken);
            }
            var read = await _response!.ResponseStream.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                _position += read;
                _bodyPosition += read;
                return read;
            }
            if (_bodyPosition < _bodyEnd)
            {
                throw new IOException($"An S3 object ended at {_bodyPosition} bytes of the file, before {_bodyEnd}.");
            }
            CloseBody();
        }
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Image decoders read synchronously; the server's own request bodies are never read this way.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
        }
        base.Dispose(disposing);
    }

    private async Task OpenAtPositionAsync(CancellationToken cancellationToken)
    {
        CloseBody();
        var segment = chain.First(s => s.Start <= _position && _position < s.End);
        _response = await client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = bucket,
            Key = segment.Key,
            ByteRange = new ByteRange(_position - segment.Start, Math.Min(segment.End, Math.Max(readEnd, _position + 1)) - segment.Start - 1),
        }, cancellationToken);
        _bodyPosition = _position;
        _bodyEnd = Math.Min(segment.End, Math.Max(readEnd, _position + 1));
    }

    private void CloseBody()
    {
        _response?.Dispose();
        _response = null;
        _bodyPosition = -1;
    }
}
