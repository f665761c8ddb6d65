{
  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial": {
    "publicKey": {
      "hint": "7aa35d4ac09ee3d8460baa974dd6c513412cae3163eca09d5cf9eec326ee5930"
    },
    "tlogEntries": []
  },
  "dsseEnvelope": {
    "payload": "eyJwcmVkaWNhdGUiOiB7InJlc291cmNlcyI6IFt7ImFsZ29yaXRobSI6ICJzaGEyNTYiLCAiZGlnZXN0IjogImZlZjY4ZDJmMjIzNmMyNTQ0ZmYyYTQ5ZGU1NWQxNjZjZWQ4ZDcwYzcxMGU1MjYxOGUwMDZkYjEwYmMyMTA2M2YiLCAibmFtZSI6ICJjb25maWcuanNvbiJ9LCB7ImFsZ29yaXRobSI6ICJzaGEyNTYiLCAiZGlnZXN0IjogIjM3MGE4YzA0YjhhNjViYjQ0OTQyNzVlZWMyMjdmMWI2OTRkYjA0Yzc2ZGE2YjBiOGFlODhlZDFhYjE5NzkwYTMiLCAibmFtZSI6ICJuZXN0ZWQvZGVlcGVyL25vdGVzLnR4dCJ9LCB7ImFsZ29yaXRobSI6ICJzaGEyNTYiLCAiZGlnZXN0IjogImViZGQ3OTFhMzIyZDE4OTBjNjA5MDYyMDhiODVjNjYyYmZiYTQyZjViYTM0N2MzNjczZWY3NDUwNDQxYTkwOWEiLCAibmFtZSI6ICJzdWIvYWRhcHRlci5iaW4ifSwgeyJhbGdvcml0aG0iOiAic2hhMjU2IiwgImRpZ2VzdCI6ICI4YzhkYWFhNjAxNWJiY2M0Mzc5NmE4M2JmZjY2MTE0NTcwNWEyMGMzMTg0ZWUzZGUzNDk5MjY0ZmQ1MmMyMDFjIiwgIm5hbWUiOiAid2VpZ2h0cy5iaW4ifV0sICJ4LWV4dHJhIjogWzEsIDJdLCAic2VyaWFsaXphdGlvbiI6IHsiaWdub3JlX3BhdGhzIjogWyIuZ2l0aHViIiwgIi5naXRpZ25vcmUiLCAiLmdpdGF0dHJpYnV0ZXMiLCAiLmdpdCJdLCAiYWxsb3dfc3ltbGlua3MiOiBmYWxzZSwgIm1ldGhvZCI6ICJmaWxlcyIsICJoYXNoX3R5cGUiOiAic2hhMjU2In19LCAicHJlZGljYXRlVHlwZSI6ICJodHRwczovL21vZGVsX3NpZ25pbmcvc2lnbmF0dXJlL3YxLjAiLCAic3ViamVjdCI6IFt7Im5hbWUiOiAibW9kZWwiLCAiZGlnZXN0IjogeyJzaGEyNTYiOiAiZGU0YWRjOGNlYTIyYTMxMjA5NzdkYTM0OWJiNjkxZmZmOTA1YzIzZDQ0NjQ1ZjMzNzg4ZTU4NmI3NDM2YjExNSJ9fV0sICJfXHUwMDc0eXBlIjogImh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==",
    "payloadType": "application/vnd.in-toto+json",
    "signatures": [
      {
        "sig": "MEQCICi2WroUad3LpKdFUdq+1Fx15F3QbEMJNGQksfKJSWe+AiA4H8uzBpLlakDO1vmiuydfL/pzGyQpeOzgP6NEdSq83g==",
        "keyid": ""
      }
    ]
  }
}