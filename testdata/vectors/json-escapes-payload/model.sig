{
  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial": {
    "publicKey": {
      "hint": "7aa35d4ac09ee3d8460baa974dd6c513412cae3163eca09d5cf9eec326ee5930"
    },
    "tlogEntries": []
  },
  "dsseEnvelope": {
    "payload": "eyJwcmVkaWNhdGUiOiB7InJlc291cmNlcyI6IFt7Im5hbWUiOiAiY29uZmlnLmpzb24iLCAiYWxnb3JpdGhtIjogInNoYTI1NiIsICJkaWdlc3QiOiAiZmVmNjhkMmYyMjM2YzI1NDRmZjJhNDlkZTU1ZDE2NmNlZDhkNzBjNzEwZTUyNjE4ZTAwNmRiMTBiYzIxMDYzZiJ9LCB7Im5hbWUiOiAibmVzdGVkL2RlZXBlci9ub3Rlcy50eHQiLCAiYWxnb3JpdGhtIjogInNoYTI1NiIsICJkaWdlc3QiOiAiMzcwYThjMDRiOGE2NWJiNDQ5NDI3NWVlYzIyN2YxYjY5NGRiMDRjNzZkYTZiMGI4YWU4OGVkMWFiMTk3OTBhMyJ9LCB7Im5hbWUiOiAic3ViL2FkYXB0ZXIuYmluIiwgImFsZ29yaXRobSI6ICJzaGEyNTYiLCAiZGlnZXN0IjogImViZGQ3OTFhMzIyZDE4OTBjNjA5MDYyMDhiODVjNjYyYmZiYTQyZjViYTM0N2MzNjczZWY3NDUwNDQxYTkwOWEifSwgeyJuYW1lIjogIndlaWdodHMuYmluIiwgImFsZ29yaXRobSI6ICJzaGEyNTYiLCAiZGlnZXN0IjogIjhjOGRhYWE2MDE1YmJjYzQzNzk2YTgzYmZmNjYxMTQ1NzA1YTIwYzMxODRlZTNkZTM0OTkyNjRmZDUyYzIwMWMifV0sICJ4LWV4dHJhIjogWzEsIDJdLCAic2VyaWFsaXphdGlvbiI6IHsibWV0aG9kIjogImZpbGVzIiwgImhhc2hfdHlwZSI6ICJzaGEyNTYiLCAiaWdub3JlX3BhdGhzIjogWyIuZ2l0YXR0cmlidXRlcyIsICIuZ2l0aWdub3JlIiwgIi5naXQiLCAiLmdpdGh1YiJdLCAiYWxsb3dfc3ltbGlua3MiOiBmYWxzZX19LCAicHJlZGljYXRlVHlwZSI6ICJodHRwczovL21vZGVsX3NpZ25pbmcvc2lnbmF0dXJlL3YxLjAiLCAic3ViamVjdCI6IFt7Im5hbWUiOiAibW9kZWwiLCAiZGlnZXN0IjogeyJzaGEyNTYiOiAiZGU0YWRjOGNlYTIyYTMxMjA5NzdkYTM0OWJiNjkxZmZmOTA1YzIzZDQ0NjQ1ZjMzNzg4ZTU4NmI3NDM2YjExNSJ9fV0sICJfXHUwMDc0eXBlIjogImh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==",
    "payloadType": "application/vnd.in-toto+json",
    "signatures": [
      {
        "sig": "MEQCIGxyck4lITO4CbQ8raWV+1TAn81Or3lmdvDcpTThc6gBAiAqce1gX9JbEP87BdsAS8HD35hoYTSQO33Qn7/9vW2I7Q==",
        "keyid": ""
      }
    ]
  }
}