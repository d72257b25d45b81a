using System.Diagnostics;
using Kefu.Adapters.Tests.Infrastructure;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server for the S3 storage tests: npm's <c>s3rver</c> (a devDependency in web/package.json,
/// installed by the build's <c>npm ci</c>) on a free loopback port, with one bucket, storing under a temp folder.
/// Without node or s3rver the tests skip saying why; under <c>CI=true</c> they fail.
/// </summary>
internal sealed class S3rverServer : IAsyncDisposable
{
    public const string Bucket = "kefu-test";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private S3rverServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    /// <summary>Where s3rver keeps the bucket's objects (one folder per bucket).</summary>
    public string Directory { get; }

    /// <summary>The server's settings for <c>Kefu:Uploads:Storage=s3</c> on this bucket.</summary>
    public Dictionary<string, string> KefuSettings() => new()
    {
        ["Kefu__Uploads__Storage"] = "s3",
        ["Kefu__Uploads__S3__ServiceUrl"] = $"http://127.0.0.1:{Port}",
        ["Kefu__Uploads__S3__Bucket"] = Bucket,
        ["Kefu__Uploads__S3__AccessKey"] = "S3RVER",
        ["Kefu__Uploads__S3__SecretKey"] = "S3RVER",
        ["Kefu__Uploads__S3__ForcePathStyle"] = "true",
    };

    /// <summary>The keys of the bucket's objects under <paramref name="prefix"/>, from s3rver's folder.</summary>
    public IReadOnlyList<string> Keys(string prefix)
    {
        var root = Path.Combine(Directory, Bucket);
        if (!System.IO.Directory.Exists(root))
        {
            return [];
        }
        // s3rver keeps an object as "<key>._S3rver_object" beside its metadata files.
        const string suffix = "._S3rver_object";
        return System.IO.Directory.EnumerateFiles(root, "*" + suffix, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)[..^suffix.Length].Replace(Path.DirectorySeparatorChar, '/'))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Starts s3rver, or skips (under CI fails) the calling test when it cannot run here.</summary>
    public static async Task<S3rverServer> StartAsync()
    {
        var reason = await TryStartAsync();
        if (reason.Server is { } server)
        {
            return server;
        }
        if (RedisAvailability.IsCi)
        {
            Assert.Fail($"{reason.Why} CI=true requires s3rver: it is a devDependency in web/package.json (npm ci in web/).");
        }
        Skip.If(true, $"{reason.Why} Run npm ci in web/ (s3rver is a devDependency there) to run the S3 storage tests.");
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Starts s3rver, or says why it cannot run here.</summary>
    public static async Task<(S3rverServer? Server, string Why)> TryStartAsync()
    {
        var webDir = Path.Combine(RepoPaths.Root, "web");
        if (!System.IO.Directory.Exists(Path.Combine(webDir, "node_modules", "s3rver")))
        {
            return (null, $"s3rver is not installed in {webDir}/node_modules.");
        }
        var directory = Path.Combine(Path.GetTempPath(), "kefu-s3rver-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "s3rver.mjs");
        var info = new ProcessStartInfo("node", [script, webDir, directory, Bucket])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (null, $"node could not be started ({ex.Message}).");
        }
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(StartTimeout);
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }
        if (line is not null && line.StartsWith("ready ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(6), out var port))
        {
            return (new S3rverServer(process, port, directory), "");
        }
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        return (null, $"s3rver did not start: {line ?? "no answer within " + StartTimeout.TotalSeconds + " s"}.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Closing its standard input stops it; a kill is the fallback.
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
