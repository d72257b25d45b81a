using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Uploads;

/// <summary>
/// Upload bytes in an S3-compatible bucket, so every node reads and resumes every upload. An upload is a folder of
/// segment objects (<see cref="S3Segment"/>): each commit of a PATCH puts the bytes received since as one new object,
/// so no multipart upload is ever left open and the 5 MiB minimum part size does not apply. The offset recorded in
/// the store is the truth: when opening for append, segments past it (a write whose offset was never recorded) are
/// dropped, and one that crosses it is cut back to it.
/// </summary>
internal sealed class S3FileStorage : IFileStorage, IDisposable
{
    /// <summary>A last segment shorter than this is rewritten together with the next bytes instead of followed by another object.</summary>
    public const long MergeBelow = 5L * 1024 * 1024;

    private static readonly TimeSpan StaleStaging = TimeSpan.FromHours(1);

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly string _stagingRoot;

    public S3FileStorage(IOptions<UploadOptions> options, UploadPaths paths)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(paths);
        var s3 = options.Value.S3;
        _bucket = s3.Bucket!;
        _prefix = s3.Prefix;
        var config = new AmazonS3Config
        {
            ForcePathStyle = s3.ForcePathStyle,
            // Plain payloads: the flexible-checksum trailers of newer SDKs are not understood by every S3-compatible server.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(s3.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(s3.Region);
        }
        else
        {
            config.ServiceURL = s3.ServiceUrl;
            config.AuthenticationRegion = s3.Region;
        }
        _client = string.IsNullOrEmpty(s3.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(s3.AccessKey, s3.SecretKey), config);
        _stagingRoot = Path.Combine(paths.Root, "s3-staging");
        Directory.CreateDirectory(_stagingRoot);
        // Staging files of a process that was killed; a live one is written to all the time.
        foreach (var file in new DirectoryInfo(_stagingRoot).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < DateTime.UtcNow - StaleStaging)
            {
                file.Delete();
            }
        }
    }

    public async Task<Stream> OpenAppendAsync(string id, long offset, CancellationToken cancellationToken)
    {
        var segments = await ListAsync(id, cancellationToken);
        var chain = S3Segment.Chain(segments, offset);
        var end = chain.Count == 0 ? 0 : chain[^1].End;
        var superseded = new List<S3Segment>();
        var staging = NewStagingFile();
        try
        {
            var stagingStart = end;
            if (end < offset)
            {
                // A segment whose end was never recorded: keep its bytes up to the recorded offset.
                var crossing = segments.Where(s => s.Start == end && s.End > offset && !s.IsWhole).OrderBy(s => s.End).FirstOrDefault();
                if (crossing.Key is null)
                {
                    throw new IOException($"Upload {id}: S3 holds its bytes up to {end}, not up to the recorded offset {offset}.");
                }
                await DownloadAsync(crossing, offset - end, staging, cancellationToken);
                superseded.Add(crossing);
            }
            else if (chain.Count > 0 && chain[^1] is { IsWhole: false } last && last.Length < MergeBelow)
            {
                await DownloadAsync(last, last.Length, staging, cancellationToken);
                stagingStart = last.Start;
                superseded.Add(last);
            }
            foreach (var stale in segments.Where(s => !chain.Contains(s) && !superseded.Contains(s)))
            {
                await DeleteKeyAsync(stale.Key, cancellationToken);
            }
            return new S3AppendStream(this, id, staging, stagingStart, superseded, dirty: end < offset);
        }
        catch
        {
            await staging.DisposeAsync();
            throw;
        }
    }

    public Task CommitAsync(Stream appendStream, CancellationToken cancellationToken) =>
        appendStream is S3AppendStream s3 ? s3.CommitAsync(cancellationToken) : throw new ArgumentException("Not an S3 append stream.", nameof(appendStream));

    public async Task<int> ReadRangeAsync(string id, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await using var stream = await OpenReadAsync(id, offset + buffer.Length, cancellationToken);
        stream.Position = offset;
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    public Task<Stream> OpenReadAsync(string id, CancellationToken cancellationToken) => OpenReadAsync(id, long.MaxValue, cancellationToken);

    private async Task<Stream> OpenReadAsync(string id, long readEnd, CancellationToken cancellationToken)
    {
        var segments = await ListAsync(id, cancellationToken);
        if (segments.Count == 0)
        {
            throw new FileNotFoundException($"Upload {id} has no bytes in S3.");
        }
        return new S3ReadStream(_client, _bucket, S3Segment.Chain(segments, long.MaxValue), readEnd);
    }

    public async Task<long> WriteAsync(string id, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        await using var staging = NewStagingFile();
        await write(staging, cancellationToken);
        await staging.FlushAsync(cancellationToken);
        var length = staging.Length;
        staging.Position = 0;
        // One PUT replaces the object as a whole; the segments it replaces go after it.
        await PutAsync(S3Segment.Folder(_prefix, id) + S3Segment.WholeName, staging, cancellationToken);
        foreach (var segment in await ListAsync(id, cancellationToken))
        {
            if (!segment.IsWhole)
            {
                await DeleteKeyAsync(segment.Key, cancellationToken);
            }
        }
        return length;
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var key in await ListKeysAsync(id, cancellationToken))
        {
            await DeleteKeyAsync(key, cancellationToken);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Puts the staging file's bytes as the segment that starts at <paramref name="start"/>.</summary>
    internal async Task<S3Segment> PutSegmentAsync(string id, long start, FileStream staging, CancellationToken cancellationToken)
    {
        var segment = new S3Segment(S3Segment.KeyOf(_prefix, id, start, start + staging.Length), start, start + staging.Length);
        staging.Position = 0;
        await PutAsync(segment.Key, staging, cancellationToken);
        return segment;
    }

    internal Task DeleteKeyAsync(string key, CancellationToken cancellationToken) =>
        _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken);

    private Task<PutObjectResponse> PutAsync(string key, FileStream content, CancellationToken cancellationToken) =>
        _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            ContentType = ContentSniffer.Unknown,
            // A plain signed body (no aws-chunked encoding), which every S3-compatible server reads.
            UseChunkEncoding = false,
        }, cancellationToken);

    private async Task DownloadAsync(S3Segment segment, long length, FileStream target, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return;
        }
        using var response = await _client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = _bucket,
            Key = segment.Key,
            ByteRange = new ByteRange(0, length - 1),
        }, cancellationToken);
        await response.ResponseStream.CopyToAsync(target, cancellationToken);
        if (target.Length != length)
        {
            throw new IOException($"S3 object {segment.Key} gave {target.Length} bytes, not {length}.");
        }
    }

    private async Task<List<S3Segment>> ListAsync(string id, CancellationToken cancellationToken)
    {
        var folder = S3Segment.Folder(_prefix, id);
        var segments = new List<S3Segment>();
        await foreach (var item in ListObjectsAsync(folder, cancellationToken))
        {
            if (S3Segment.TryParse(item.Key, folder, item.Size ?? 0, out var segment))
            {
                segments.Add(segment);
            }
        }
        return segments;
    }

    private async Task<List<string>> ListKeysAsync(string id, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var item in ListObjectsAsync(S3Segment.Folder(_prefix, id), cancellationToken))
        {
            keys.Add(item.Key);
        }
        return keys;
    }

    private async IAsyncEnumerable<S3Object> ListObjectsAsync(string folder, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = folder };
        while (true)
        {
            var response = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in response.S3Objects ?? [])
            {
                yield return item;
            }
            if (response.IsTruncated != true)
            {
                yield break;
            }
            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    private FileStream NewStagingFile() => new(
        Path.Combine(_stagingRoot, Guid.NewGuid().ToString("N")),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 0, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
}
