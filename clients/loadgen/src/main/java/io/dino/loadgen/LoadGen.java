package io.dino.loadgen; public class LoadGen { public static void main(String[] a){} }
