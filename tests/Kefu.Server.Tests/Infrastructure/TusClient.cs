using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>A minimal tus 1.0 client over HttpClient (whose own timeout bounds every call).</summary>
internal static class TusClient
{
    public const string Path = "api/v1/uploads";

    public static HttpRequestMessage Request(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    public static async Task<HttpResponseMessage> CreateRawAsync(HttpClient http, string token, long length, string? fileName = "file.bin", string? fileType = null)
    {
        using var request = Request(HttpMethod.Post, Path, token);
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        var metadata = new List<string>();
        if (fileName is not null)
        {
            metadata.Add("filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(fileName)));
        }
        if (fileType is not null)
        {
            metadata.Add("filetype " + Convert.ToBase64String(Encoding.UTF8.GetBytes(fileType)));
        }
        if (metadata.Count > 0)
        {
            request.Headers.Add("Upload-Metadata", string.Join(',', metadata));
        }
        return await http.SendAsync(request);
    }

    /// <summary>Creates an upload and returns its path (relative to the server's base address).</summary>
    public static async Task<string> CreateAsync(HttpClient http, string token, long length, string? fileName = "file.bin", string? fileType = null)
    {
        using var response = await CreateRawAsync(http, token, length, fileName, fileType);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("/api/v1/uploads/", location, StringComparison.Ordinal);
        return location.TrimStart('/');
    }

    public static async Task<HttpResponseMessage> PatchRawAsync(HttpClient http, string token, string path, long offset, ReadOnlyMemory<byte> bytes)
    {
        using var request = Request(HttpMethod.Patch, path, token);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new ReadOnlyMemoryContent(bytes);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return await http.SendAsync(request);
    }

    /// <summary>Sends bytes at an offset and returns the server's new offset.</summary>
    public static async Task<long> PatchAsync(HttpClient http, string token, string path, long offset, ReadOnlyMemory<byte> bytes)
    {
        using var response = await PatchRawAsync(http, token, path, offset, bytes);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    public static async Task<HttpResponseMessage> HeadRawAsync(HttpClient http, string token, string path)
    {
        using var request = Request(HttpMethod.Head, path, token);
        return await http.SendAsync(request);
    }

    /// <summary>The server's offset for the upload, to resume from.</summary>
    public static async Task<long> OffsetAsync(HttpClient http, string token, string path)
    {
        using var response = await HeadRawAsync(http, token, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    /// <summary>Creates and sends a whole file in one PATCH; returns its path.</summary>
    public static async Task<string> UploadAsync(HttpClient http, string token, byte[] bytes, string fileName = "file.bin", string? fileType = null)
    {
        var path = await CreateAsync(http, token, bytes.Length, fileName, fileType);
        Assert.Equal(bytes.Length, await PatchAsync(http, token, path, 0, bytes));
        return path;
    }

    public static async Task<HttpResponseMessage> DownloadAsync(HttpClient http, string token, string path, RangeHeaderValue? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Range = range;
        return await http.SendAsync(request);
    }
}
