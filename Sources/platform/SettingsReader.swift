import ArgumentParser
import Configuration
import Foundation
import Gateway

/// A command's settings, read once with swift-configuration: the command line first, then the
/// environment, then the defaults each caller gives. A value that cannot be used is refused with
/// the key it came from (the flag if it was given, else the variable), and a secret is never
/// echoed.
struct SettingsReader: Sendable {
    private let given: Set<Setting>
    private let reader: ConfigReader

    /// `flags`: what ArgumentParser parsed, nil or empty for a flag not given.
    init(flags: [Setting: [String]?], environment: [String: String] = ProcessInfo.processInfo.environment) {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        var given = Set<Setting>()
        for (setting, texts) in flags {
            guard let texts, !texts.isEmpty else { continue }
            given.insert(setting)
            let content: ConfigContent = setting.isList ? .stringArray(texts) : .string(texts[0])
            values[AbsoluteConfigKey(setting.key)] = ConfigValue(content, isSecret: setting.isSecret)
        }
        self.given = given
        let secrets = Set(flags.keys.filter(\.isSecret).map(\.variable))
        reader = ConfigReader(providers: [
            InMemoryProvider(name: "command line", values: values),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific(secrets)),
        ])
    }

    /// The key `setting`'s value came from: its flag when given on the command line, else its variable.
    func source(_ setting: Setting) -> String { given.contains(setting) ? setting.flag : setting.variable }

    /// The value as text; nil when neither the command line nor the environment has it.
    func text(_ setting: Setting) -> String? {
        reader.string(forKey: setting.key, isSecret: setting.isSecret)
    }

    /// Every value of a list setting (a repeated flag, or the variable split at commas).
    func list(_ setting: Setting) -> [String] {
        reader.stringArray(forKey: setting.key, isSecret: setting.isSecret) ?? []
    }

    /// A whole number in `range`; `meaning` completes "is not …" in the refusal.
    func int(_ setting: Setting, in range: ClosedRange<Int>, meaning: String) throws -> Int? {
        guard let text = text(setting) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw refusal(setting, text, "is not \(meaning)")
        }
        return value
    }

    /// A secret, checked by ``SecretSetting`` under the key it came from; a warning (not a
    /// refusal) when shorter than `warnBelow` bytes.
    func secret(_ setting: Setting, minimumBytes: Int = SecretSetting.minimumBytes, warnBelow: Int? = nil) throws
        -> String?
    {
        guard let value = text(setting) else { return nil }
        let key = source(setting)
        try validated { try SecretSetting.check(value, key: key, minimumBytes: minimumBytes) }
        if let warnBelow, value.utf8.count < warnBelow {
            FileHandle.standardError.write(Data("warning: \(SecretSetting.shortJWTSecretWarning(key: key))\n".utf8))
        }
        return value
    }

    /// A refusal naming the key: `--port: '70000' is not a port number (0 to 65535)`.
    func refusal(_ setting: Setting, _ text: String, _ reason: String) -> ValidationError {
        ValidationError(setting.isSecret ? "\(source(setting)): \(reason)" : "\(source(setting)): '\(text)' \(reason)")
    }
}
