namespace Kefu.Core.Storage;

public sealed record Tenant(string Id, string Slug, string Name);

public sealed record Site(
    string Id,
    string TenantId,
    string SiteKey,
    string Name,
    IReadOnlyList<string> AllowedOrigins,
    string IdentitySecret,
    bool RequireIdentity);

public sealed record Team(string Id, string TenantId, string Name, bool IsDefault);

public sealed record Agent(
    string Id,
    string TenantId,
    string Username,
    string DisplayName,
    string PasswordHash,
    bool IsAdmin,
    int MaxConcurrent,
    bool Disabled,
    int TokenVersion,
    bool MustChangePassword);

public sealed record Visitor(
    string Id,
    string TenantId,
    string SiteId,
    string? ExternalId,
    string? Name,
    string? Email,
    string? ContextJson,
    DateTimeOffset CreatedAt);

/// <summary>What a visitor session asks for; <see cref="ExternalId"/> is set only for a verified identity.</summary>
public sealed record VisitorRegistration(string TenantId, string SiteId, string? ExternalId, string? Name, string? Email, string? ContextJson);

/// <summary>What first run creates, by natural keys, so that several nodes starting at once create it once.</summary>
public sealed record BootstrapRequest(string AdminUsername, string AdminPasswordHash, string AdminDisplayName, bool AdminMustChangePassword, int DefaultMaxConcurrent);

/// <summary><see cref="AdminCreated"/> is true only on the node whose insert made the admin.</summary>
public sealed record BootstrapResult(Tenant Tenant, Site Site, Team Team, Agent Admin, bool AdminCreated);
