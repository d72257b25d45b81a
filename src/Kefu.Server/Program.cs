using Kefu.Server.Admin;
using Kefu.Server.Agents;
using Kefu.Server.Auth;
using Kefu.Server.Bots;
using Kefu.Server.Conversations;
using Kefu.Server.Hosting;
using Kefu.Server.Realtime;
using Kefu.Server.Routing;
using Kefu.Server.Uploads;
using Kefu.Server.Visitors;
using Microsoft.Extensions.Options;

// appsettings.json, kefu.yaml and wwwroot/ sit next to the binary, wherever it is started from;
// relative paths in configuration (the data folder) are relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
    WebRootPath = WebAssets.FindWebRoot(),
});
builder.Configuration.AddKefuYaml(AppContext.BaseDirectory, Environment.CurrentDirectory);
builder.WebHost.UseKefuDefaultUrl(builder.Configuration);

builder.Services.AddSingleton<OptionsValidators>();
builder.Services.AddSingleton<IValidateOptions<LimitsOptions>>(sp => sp.GetRequiredService<OptionsValidators>());
builder.Services.AddSingleton<IValidateOptions<StorageOptions>>(sp => sp.GetRequiredService<OptionsValidators>());
builder.Services.AddSingleton<IValidateOptions<AuthOptions>>(sp => sp.GetRequiredService<OptionsValidators>());
builder.Services.AddSingleton<IValidateOptions<AdminOptions>>(sp => sp.GetRequiredService<OptionsValidators>());
builder.Services.AddSingleton<IValidateOptions<HostingOptions>>(sp => sp.GetRequiredService<OptionsValidators>());
builder.Services.AddSingleton<IValidateOptions<MetricsOptions>>(sp => sp.GetRequiredService<OptionsValidators>());
AcceptGate.Register(builder.Services);
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddKefuForwardedHeaders(builder.Configuration);
builder.Services.AddKefuMetrics(builder.Configuration);

builder.Services.AddKefuStorage(builder.Configuration);
builder.Services.AddKefuAuth();
builder.Services.AddHostedService<FirstRun>();
builder.Services.AddKefuVisitors();
builder.Services.AddKefuConversations();
builder.Services.AddKefuRouting();
builder.Services.AddKefuRealtime();
builder.Services.AddKefuBots();
builder.Services.AddKefuUploads();

try
{
    var app = builder.Build();

    app.UseKefuForwardedHeaders();
    app.UseKefuRealtime();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseKefuWebAssets();
    app.UseRateLimiter();
    app.UseAuthentication();
    app.UseAuthorization();

    app.MapOpenApi();
    app.MapKefuHealth();
    app.MapKefuMetrics();
    app.MapKefuAuth();
    app.MapKefuVisitors();
    app.MapKefuConversations();
    app.MapKefuRouting();
    app.MapKefuAgents();
    app.MapKefuAdmin();
    app.MapKefuBots();
    app.MapKefuUploads();
    app.MapKefuWebAssets(app.Environment);

    await app.RunAsync();
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("Kefu cannot start, configuration is invalid:\n  " + string.Join("\n  ", ex.Failures));
    Environment.ExitCode = 2;
}
catch (InvalidOperationException ex) when (ex.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase))
{
    await Console.Error.WriteLineAsync("Kefu cannot start, configuration is invalid: " + ex.Message);
    Environment.ExitCode = 2;
}

/// <summary>Entry point, visible to the tests' WebApplicationFactory-free host.</summary>
public partial class Program;
