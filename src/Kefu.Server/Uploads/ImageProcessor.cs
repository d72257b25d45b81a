using System.Text;
using Kefu.Core.Storage;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Processing;

namespace Kefu.Server.Uploads;

/// <summary>
/// Runs once when an image upload completes: reads its dimensions (as displayed, after the EXIF orientation),
/// strips location metadata (EXIF GPS tags and an XMP packet that carries GPS) by rewriting the stored file
/// unless configured to keep it, and stores a thumbnail of at most <see cref="ThumbnailEdge"/> pixels a side.
/// An image above <c>MaxImagePixels</c> is never decoded (a decompression bomb), and one that cannot be read stays
/// a plain file: no dimensions, no thumbnail. One image at a time, so memory stays bounded.
/// </summary>
internal sealed class ImageProcessor(IFileStorage storage, IOptions<UploadOptions> options, ILogger<ImageProcessor> logger) : IDisposable
{
    public const int ThumbnailEdge = 320;

    private readonly SemaphoreSlim _one = new(1, 1);

    private readonly Configuration _configuration = CreateConfiguration();

    public static string ThumbnailKey(string id) => id + "-thumb";

    public static string ThumbnailType(string contentType) => contentType == "image/jpeg" ? "image/jpeg" : "image/png";

    /// <summary>The displayed size and the stored length after any rewrite; null when the file is not a usable image.</summary>
    public async Task<ProcessedImage?> ProcessAsync(StoredUpload record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _one.WaitAsync(cancellationToken);
        try
        {
            return await ProcessOneAsync(record, cancellationToken);
        }
        catch (Exception ex) when (ex is ImageFormatException or ImageProcessingException or InvalidMemoryOperationException or NotSupportedException or ArgumentException)
        {
            UploadLog.ImageUnreadable(logger, record.Id, ex);
            return null;
        }
        finally
        {
            _configuration.MemoryAllocator.ReleaseRetainedResources();
            _one.Release();
        }
    }

    private async Task<ProcessedImage?> ProcessOneAsync(StoredUpload record, CancellationToken cancellationToken)
    {
        await using var source = await storage.OpenReadAsync(record.Id, cancellationToken);
        var (info, format) = await Image.IdentifyWithFormatAsync(_configuration, source, cancellationToken);
        if (info is null || format is null)
        {
            return null;
        }
        if ((long)info.Width * info.Height > options.Value.MaxImagePixels)
        {
            UploadLog.ImageTooLarge(logger, record.Id, info.Width, info.Height);
            return null;
        }
        source.Position = 0;
        // An animated GIF is read to its first frame only: it is never rewritten (GIF carries no EXIF) and the thumbnail is still.
        using var image = format is GifFormat
            ? await Image.LoadAsync(_configuration, source, new GifDecoder { MaxFrames = 1 }, cancellationToken)
            : await Image.LoadAsync(_configuration, source, cancellationToken);
        await source.DisposeAsync();

        var length = record.Length;
        if (!options.Value.KeepLocation && RemoveLocation(image.Metadata))
        {
            length = await storage.WriteAsync(record.Id, (stream, ct) => image.SaveAsync(stream, RewriteEncoder(format), ct), cancellationToken);
            UploadLog.LocationStripped(logger, record.Id);
        }

        while (image.Frames.Count > 1)
        {
            image.Frames.RemoveFrame(image.Frames.Count - 1);
        }
        image.Mutate(x => x.AutoOrient());
        var (width, height) = (image.Width, image.Height);
        if (width > ThumbnailEdge || height > ThumbnailEdge)
        {
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(ThumbnailEdge, ThumbnailEdge), Mode = ResizeMode.Max }));
        }
        image.Metadata.ExifProfile = null;
        image.Metadata.XmpProfile = null;
        image.Metadata.IptcProfile = null;
        IImageEncoder thumbnailEncoder = ThumbnailType(record.ContentType) == "image/jpeg" ? new JpegEncoder { Quality = 80 } : new PngEncoder();
        await storage.WriteAsync(ThumbnailKey(record.Id), (stream, ct) => image.SaveAsync(stream, thumbnailEncoder, ct), cancellationToken);
        return new ProcessedImage(width, height, length);
    }

    /// <summary>Removes EXIF GPS tags and an XMP packet that mentions GPS; whether anything was removed.</summary>
    internal static bool RemoveLocation(ImageMetadata metadata)
    {
        var removed = false;
        if (metadata.ExifProfile is { } exif)
        {
            foreach (var value in exif.Values.Where(v => v.Tag.ToString().StartsWith("GPS", StringComparison.Ordinal)).ToList())
            {
                removed |= exif.RemoveValue(value.Tag);
            }
        }
        if (metadata.XmpProfile?.ToByteArray() is { } xmp && Encoding.UTF8.GetString(xmp).Contains("GPS", StringComparison.OrdinalIgnoreCase))
        {
            metadata.XmpProfile = null;
            removed = true;
        }
        return removed;
    }

    private IImageEncoder RewriteEncoder(IImageFormat format) =>
        format is JpegFormat ? new JpegEncoder { Quality = 92 } : _configuration.ImageFormatsManager.FindEncoder(format);

    private static Configuration CreateConfiguration()
    {
        var configuration = Configuration.Default.Clone();
        // A small pool, released after every image: the server does not keep decoded pixels around.
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 16 });
        return configuration;
    }

    public void Dispose() => _one.Dispose();
}

/// <summary>An image's displayed size and its stored length after any metadata rewrite.</summary>
internal sealed record ProcessedImage(int Width, int Height, long Length);
