namespace Kefu.Core.Protocol;

/// <summary>Stable error codes of protocol v1 (docs/protocol.md lists when each is sent).</summary>
public static class ErrorCodes
{
    public const string BadFrame = "bad_frame";
    public const string UnknownType = "unknown_type";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string TooLarge = "too_large";
    public const string RateLimited = "rate_limited";
    public const string Conflict = "conflict";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";
}

/// <summary>WebSocket close codes of protocol v1.</summary>
public static class CloseCodes
{
    public const int GoingAway = 1001;
    public const int ProtocolViolation = 4400;
    public const int BadToken = 4401;
    public const int Forbidden = 4403;
    public const int HelloTimeout = 4408;
    public const int RateLimited = 4429;
}
